using Realtime.Delivery;
using Realtime.Grains.Rooms;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Presence;

/// <summary>
/// The user's room, <c>user:&lt;userId&gt;</c>: its members are the user's connections, its gateways
/// theirs, so a connection is in it from the moment it is added, with no grain of its own to wake and
/// no membership to write. Pushes are sequenced and kept like any room's (<see cref="RoomRecovery"/>).
/// A client's leave of it only stops its gateway delivering to that connection.
/// </summary>
internal sealed partial class UserPresenceGrain
{
    private readonly OrderedSends _sends = new();

    /// <summary>The last seq given.</summary>
    private long _seq;

    private string RoomName => RoomNames.ForUser(UserId);

    private string Epoch => state.State.RoomEpoch;

    /// <summary>The room's place now: pushes after it follow a join made now.</summary>
    private RoomJoinResult RoomPosition() => new(_seq, Epoch, Recovered: false, []);

    public async Task<RoomJoinResult> Join(RoomJoinRequest request)
    {
        // Interleaves: it reads the order in one step (after the history is in) and writes nothing.
        EnsureEpoch();
        var history = request.Since is null ? null : await History();
        var result = history is null
            ? RoomPosition()
            : RoomRecovery.Recover(history, _seq, Epoch, request.Since, request.Epoch, request.ClientId, request.ClientMetadata, rooms.Value.MaxRecoveryBytes, time.GetUtcNow().UtcTicks);
        if (request.NotifyGateway)
        {
            await Send(request.GatewayId, new RoomMembershipChange(RoomName, request.ClientId, Joined: true, result.Seq, Epoch));
        }

        return result;
    }

    public async Task<bool> Leave(string clientId, bool notifyGateway = false)
    {
        if (notifyGateway && Connections.TryGetValue(clientId, out var connection))
        {
            await Send(connection.GatewayId, new RoomMembershipChange(RoomName, clientId, Joined: false, _seq, Epoch));
        }

        return Connections.ContainsKey(clientId);
    }

    /// <summary>The user's room shows no metadata: there is nothing to update.</summary>
    public Task UpdateMember(string clientId, Dictionary<string, string>? metadata) => Task.CompletedTask;

    public async Task<RoomPublishResult> Publish(RoomPublishRequest request)
    {
        if (Sender(request) is { } refused)
        {
            return refused;
        }

        // A connection of the user is named as the user's, never as the caller says.
        var from = request.From is { } asked && Connections.ContainsKey(asked.ClientId) ? new MessageSender(asked.ClientId, UserId) : request.From;

        var exclude = RoomRecovery.Excluded(request, from);
        if (request.Transient)
        {
            await SendToGateways(new RoomEventPush(RoomName, ServerFrames.Push(request.Type, request.Action, request.Data, RoomName, 0, from?.ClientId, from?.UserId), exclude, request.Filter));
            return new RoomPublishResult(0);
        }

        var history = await History();
        var now = time.GetUtcNow().UtcTicks;
        string? key = null;
        if (request.IdempotencyKey is { } idempotencyKey)
        {
            key = RoomIdempotency.Scoped(idempotencyKey, from?.UserId, from?.ClientId);
            if (_keys!.TryGet(key, now, out var firstSeq))
            {
                return new RoomPublishResult(firstSeq, Duplicate: true);
            }
        }

        EnsureEpoch();
        var seq = _seq + 1;
        if (seq > state.State.RoomReservedSeq)
        {
            // Only a reservation that reached storage may be used: a silo that dies resumes after it.
            await Save(reservation: seq + rooms.Value.SeqReservation - 1);
        }

        _seq = seq;
        var frame = ServerFrames.Push(request.Type, request.Action, request.Data, RoomName, seq, from?.ClientId, from?.UserId);
        history.Add(new RoomHistoryEntry(seq, now, frame, exclude, request.Filter));
        if (key is not null)
        {
            _keys!.Add(key, seq, now);
            _savedHistory?.KeysChanged();
        }

        HistoryWrites.Changed();
        using var activity = Diagnostics.GrainActivities.StartPublish(RoomName);
        activity?.SetTag("realtime.seq", seq);
        try
        {
            await SendToGateways(new RoomPush(RoomName, seq, frame, exclude, request.Filter, Epoch, now, activity?.Id));
        }
        catch (Exception exception)
        {
            // Sequenced and kept: a gateway that missed it repairs the gap from the history.
            LogRoomSendFailed(exception, UserId, seq);
        }

        return new RoomPublishResult(seq);
    }

    /// <summary>Why a publish may not be sent as asked, if it may not: a client's own publish must come from its connection's gateway.</summary>
    private RoomPublishResult? Sender(RoomPublishRequest request)
    {
        if (request.ViaGateway is { } viaGateway)
        {
            if (RoomRecovery.RefusedFromGateway(rooms.Value.PublishFor(RoomName), RoomName) is { } refused)
            {
                return refused;
            }

            return request.From is { } sender && Connections.TryGetValue(sender.ClientId, out var connection) && connection.GatewayId == viaGateway
                ? null
                : RoomPublishResult.Fail(ErrorCodes.Forbidden, $"Not a member of {RoomName}");
        }

        return request.From is { } from && request.MembersOnly && !Connections.ContainsKey(from.ClientId)
            ? RoomPublishResult.Fail(ErrorCodes.Forbidden, $"Not a member of {RoomName}")
            : null;
    }

    public Task<RoomMember[]> GetMembers() => Task.FromResult(Connections.Values.Select(c => new RoomMember(c.ClientId, UserId, c.GatewayId)).ToArray());

    public Task<int> GetMemberCount() => Task.FromResult(Connections.Count);

    public Task<string[]> GetGateways() => Task.FromResult(Gateways().ToArray());

    public async Task<RoomHistorySlice> GetHistory(long afterSeq)
        => RoomRecovery.Slice(await History(), afterSeq, _seq, Epoch, time.GetUtcNow().UtcTicks);

    private IEnumerable<string> Gateways() => Connections.Values.Select(c => c.GatewayId).Distinct(StringComparer.Ordinal);

    /// <summary>One stream item per gateway with connections of the user, after every item made before it.</summary>
    private Task SendToGateways(GatewayMessage message)
    {
        var streams = Gateways().Select(StreamFor).ToArray();
        return streams.Length == 0 ? Task.CompletedTask : _sends.InOrder(() => Task.WhenAll(streams.Select(stream => stream.OnNextAsync(message))));
    }

    private Task Send(string gatewayId, GatewayMessage message)
    {
        var stream = StreamFor(gatewayId);
        return _sends.InOrder(() => stream.OnNextAsync(message));
    }

    private Orleans.Streams.IAsyncStream<GatewayMessage> StreamFor(string gatewayId)
        => this.GetStreamProvider(RealtimeStreams.ProviderName).GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gatewayId));

    private void EnsureEpoch()
    {
        if (Epoch.Length == 0)
        {
            state.State.RoomEpoch = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
            state.State.RoomSeq = state.State.RoomReservedSeq = _seq = 0;
        }
    }
}
