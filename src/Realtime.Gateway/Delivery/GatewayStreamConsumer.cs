using Microsoft.Extensions.Logging;
using Realtime.Delivery;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Connections;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// Everything on this gateway's stream lands here and is written to local sockets: each push was
/// serialised once upstream, and the same bytes go to every recipient's send queue. Room pushes are
/// checked against the room's sequence: a duplicate is dropped, a gap is repaired from the room's
/// history before the push is written, and what cannot be repaired is announced with a
/// <c>system</c>/<c>resync</c> push naming the room. Never a silent gap.
/// </summary>
/// <remarks>
/// The stream's lane never waits: a repair runs beside it, and while it runs the room's later items
/// (its pushes, transient broadcasts and membership changes) are held in arrival order and handled
/// by the repair when it is done, so the room keeps its order and every other room goes on.
/// </remarks>
internal sealed partial class GatewayStreamConsumer(
    IGatewayCluster cluster,
    ConnectionTable connections,
    LocalRooms rooms,
    Diagnostics.GatewayMetrics metrics,
    ServerRequests requests,
    ILogger<GatewayStreamConsumer> logger)
{
    private static readonly TimeSpan s_repairTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The rooms under repair, each with the items that arrived for it since, in order.</summary>
    private readonly Dictionary<string, Queue<GatewayMessage>> _held = new(StringComparer.Ordinal);
    private readonly Lock _heldLock = new();

    /// <summary>How many rooms are under repair: while none is, an item takes no lock on its way.</summary>
    private int _heldRooms;

    /// <summary>When the last batch arrived (<see cref="Environment.TickCount64"/>).</summary>
    private long _lastBatchMs = Environment.TickCount64;

    /// <summary>
    /// What arrived together on the gateway's stream; a failure is logged and never ends the
    /// subscription. The sockets' writes start once the whole batch is queued, so a connection
    /// with several of its pushes in the batch writes them in one go.
    /// </summary>
    public Task OnNextAsync(IReadOnlyList<GatewayMessage> items)
    {
        Volatile.Write(ref _lastBatchMs, Environment.TickCount64);
        using var writes = Connection.DeferWrites();
        foreach (var item in items)
        {
            if (RoomOf(item) is not { } room || !Hold(room, item))
            {
                Handle(item);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes once nothing has arrived for <paramref name="quiet"/>, or after <paramref name="atMost"/>:
    /// what the cluster sent before this gateway's connections were unregistered (their last room
    /// leaves, presence changes) is still on its way for a moment, and a stream unsubscribed under it
    /// warns about every item it drops. A cancelled stop stops waiting.
    /// </summary>
    public async Task WhenQuietAsync(TimeSpan quiet, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var quietMs = (long)quiet.TotalMilliseconds;
        var deadline = Environment.TickCount64 + (long)atMost.TotalMilliseconds;
        while (true)
        {
            var now = Environment.TickCount64;
            var wait = Volatile.Read(ref _lastBatchMs) + quietMs - now;
            if (wait <= 0 || now >= deadline)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait, deadline - now)), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Handle(GatewayMessage item)
    {
        try
        {
            switch (item)
            {
                case RoomPush push:
                    Deliver(push);
                    break;
                case RoomEventPush push:
                    rooms.Deliver(push);
                    break;
                case TargetedPush push:
                    Deliver(push);
                    break;
                case RoomMembershipChange change:
                    Apply(change);
                    break;
                case ClientMetadataChange change:
                    if (connections.TryGet(change.ClientId, out var changed))
                    {
                        changed.ApplyMetadata(change);
                    }

                    break;
                case ClientRequest request:
                    requests.Deliver(request);
                    break;
                case DisconnectCommand command:
                    connections.Apply(command);
                    break;
                case UserRateShare share:
                    connections.Apply(share);
                    break;
            }
        }
        catch (Exception exception)
        {
            // One bad item must not end the subscription.
            LogDeliveryFailed(exception, item.GetType().Name);
        }
    }

    /// <summary>The room whose order an item is part of, if any.</summary>
    private static string? RoomOf(GatewayMessage item) => item switch
    {
        RoomPush push => push.Room,
        RoomEventPush push => push.Room,
        RoomMembershipChange change => change.Room,
        _ => null,
    };

    private void Deliver(RoomPush push)
    {
        if (rooms.Check(push) is not { } check)
        {
            return;
        }

        if (check.State == SequenceState.Gap)
        {
            lock (_heldLock)
            {
                _held[push.Room] = new Queue<GatewayMessage>();
                Volatile.Write(ref _heldRooms, _held.Count);
            }

            _ = Task.Run(() => RepairBeside(push, check.After));
            return;
        }

        DeliverInOrder(push, check);
    }

    /// <summary>A push that is next, a duplicate, or the first of a new epoch.</summary>
    private void DeliverInOrder(RoomPush push, SequenceCheck check)
    {
        switch (check.State)
        {
            case SequenceState.Duplicate:
                return;
            case SequenceState.NewEpoch:
                LogNewEpoch(push.Room, push.Epoch);
                metrics.Resync(newEpoch: true, rooms.Resync(push.Room, ServerFrames.Resync(push.Room, push.Epoch, push.Seq), newEpoch: true));
                break;
        }

        using var activity = Diagnostics.GatewayActivities.StartDelivery(push.Room, push.Seq, push.TraceParent);
        var members = rooms.Deliver(push.Room, push.Seq, push.Frame, push.Exclude, push.Filter, push.PublishedTicks);
        metrics.Delivered("room", members);
        activity?.SetTag("realtime.members", members);
    }

    /// <summary>The server put a local connection in a room, or took it out.</summary>
    private void Apply(RoomMembershipChange change)
    {
        if (!connections.TryGet(change.ClientId, out var connection))
        {
            return;
        }

        if (change.Joined)
        {
            rooms.BeginJoin(change.Room, connection)
                .Commit(ServerFrames.RoomJoined(change.Room, change.Seq, change.Epoch), new RoomJoinResult(change.Seq, change.Epoch, false, []), []);
        }
        else
        {
            rooms.Leave(change.Room, connection);
            connection.Send(ServerFrames.RoomLeft(change.Room));
        }
    }

    private void Deliver(TargetedPush push)
    {
        var rules = new DeliveryRules(push.Exclude, push.Filter);
        switch (push)
        {
            case ConnectionsPush toConnections:
                var delivered = 0;
                foreach (var clientId in toConnections.ClientIds)
                {
                    if (connections.TryGet(clientId, out var connection) && rules.Accepts(connection))
                    {
                        connection.Send(push.Frame);
                        delivered++;
                    }
                }

                metrics.Delivered("connections", delivered);
                break;
            case RoomsPush toRooms:
                metrics.Delivered("rooms", rooms.DeliverToRooms(toRooms.Rooms, push.Frame, rules));
                break;
            case EveryonePush:
                metrics.Delivered("everyone", DeliverToEvery(push.Frame, rules, path: null));
                break;
            case PathPush toPath:
                metrics.Delivered("path", DeliverToEvery(push.Frame, rules, toPath.Path));
                break;
        }
    }

    private int DeliverToEvery(byte[] frame, DeliveryRules rules, string? path)
    {
        var delivered = 0;
        foreach (var connection in connections.All)
        {
            if ((path is null || string.Equals(connection.Path, path, StringComparison.Ordinal)) && rules.Accepts(connection))
            {
                connection.Send(frame);
                delivered++;
            }
        }

        return delivered;
    }
}
