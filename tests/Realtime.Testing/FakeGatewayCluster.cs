using System.Threading.Channels;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Gateway.Cluster;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Testing;

/// <summary>
/// The gateway's cluster in memory, for testing gateway logic without a silo: connections, rooms
/// with a gap-free seq and a history, and one ordered delivery lane per subscribed gateway, as the
/// cluster's contract says (the spec suite checks this fake against the real clusters). Rules that
/// are the cluster's own (room policies, handlers, limits per user) are not here: every join is
/// allowed and every application frame gets <see cref="Handler"/>'s answer.
/// </summary>
public sealed class FakeGatewayCluster : IGatewayCluster, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FakeClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _listed = new(StringComparer.Ordinal);
    private int _roomCalls;

    /// <summary>Answers application frames; by default every route is unknown.</summary>
    public Func<string, InboundMessage, HandlerReply> Handler { get; set; } =
        static (_, message) => HandlerReply.Fail(ErrorCodes.UnknownRoute, $"Unknown route {message.Type}/{message.Action}");

    /// <summary>While false, the cluster does not answer: every call throws <see cref="TimeoutException"/>.</summary>
    public bool Reachable { get; set; } = true;

    /// <summary>Runs before a room's history is read for a gap repair (a test can hold the repair there).</summary>
    public Func<string, Task>? BeforeHistoryRead { get; set; }

    /// <summary>How many calls reached a room (join, leave, publish, presence, history): what a test asserts was not touched.</summary>
    public int RoomCalls => Volatile.Read(ref _roomCalls);

    /// <summary>The connections registered now.</summary>
    public IReadOnlyCollection<string> Registered
    {
        get
        {
            lock (_lock)
            {
                return [.. _clients.Keys];
            }
        }
    }

    /// <summary>Puts an item on a gateway's stream, as the cluster would (to test what the gateway does with it).</summary>
    public void Push(string gatewayId, GatewayMessage item)
    {
        lock (_lock)
        {
            PushLocked(gatewayId, item);
        }
    }

    /// <summary>The room's seq and epoch now (zero and empty for a room never used).</summary>
    public (long Seq, string Epoch) RoomPosition(string roomName)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(roomName, out var room) ? (room.Seq, room.Epoch) : (0, "");
        }
    }

    /// <summary>Takes a seq out of a room's future: the next publish skips it, as if its stream item was lost on the way.</summary>
    public void LoseNextPush(string roomName)
    {
        lock (_lock)
        {
            Room(roomName).LoseNext = true;
        }
    }

    public Task<ConnectResult> RegisterAsync(string clientId, ClientRegistration registration)
    {
        lock (_lock)
        {
            EnsureReachable();
            _clients[clientId] = new FakeClient(registration.UserId, registration.GatewayId, new Dictionary<string, string>(registration.Metadata, StringComparer.Ordinal));
            return Task.FromResult(ConnectResult.Ok);
        }
    }

    /// <summary>The fake keeps no sessions for a resume: a drop ends the session.</summary>
    public async Task<TimeSpan> DropAsync(string clientId, long attachment, bool resumable)
    {
        await UnregisterAsync(clientId);
        return TimeSpan.Zero;
    }

    public Task ExpireAsync(string clientId, long attachment) => Task.CompletedTask;

    public Task<ResumeResult> ResumeAsync(string clientId, ResumeRequest request) => Task.FromResult(ResumeResult.Fresh);

    public Task UnregisterAsync(string clientId)
    {
        lock (_lock)
        {
            EnsureReachable();
            if (_clients.Remove(clientId, out var client))
            {
                foreach (var name in client.Rooms)
                {
                    Room(name).Members.Remove(clientId);
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task<ClientJoinResult> JoinRoomAsync(string clientId, ClientJoinRequest request)
    {
        lock (_lock)
        {
            EnsureReachable();
            Interlocked.Increment(ref _roomCalls);
            var client = Client(clientId);
            var room = Room(request.RoomName);
            room.Members.Add(clientId);
            client.Rooms.Add(request.RoomName);
            var recovered = true;
            List<byte[]> missed = [];
            if (request.Since is { } since)
            {
                if (request.Epoch is not null && request.Epoch != room.Epoch)
                {
                    recovered = false;
                }
                else
                {
                    var expected = since + 1;
                    foreach (var entry in room.History.Where(e => e.Seq > since))
                    {
                        recovered &= entry.Seq == expected;
                        expected = entry.Seq + 1;
                        if (entry.Exclude?.Contains(clientId) != true)
                        {
                            missed.Add(entry.Frame);
                        }
                    }

                    recovered &= expected == room.Seq + 1 || room.Seq <= since;
                }
            }

            return Task.FromResult(new ClientJoinResult(new RoomJoinResult(room.Seq, room.Epoch, recovered, [.. missed]), []));
        }
    }

    public Task LeaveRoomAsync(string clientId, string roomName)
    {
        lock (_lock)
        {
            EnsureReachable();
            if (_clients.TryGetValue(clientId, out var client) && client.Rooms.Remove(roomName))
            {
                Interlocked.Increment(ref _roomCalls);
                Room(roomName).Members.Remove(clientId);
            }

            return Task.CompletedTask;
        }
    }

    public Task<RoomPublishResult> PublishAsync(string clientId, ClientPublish publish)
    {
        lock (_lock)
        {
            EnsureReachable();
            Interlocked.Increment(ref _roomCalls);
            var client = Client(clientId);
            if (!client.Rooms.Contains(publish.RoomName) || client.GatewayId != publish.GatewayId)
            {
                return Task.FromResult(RoomPublishResult.Fail(ErrorCodes.Forbidden, $"Only members may publish to {publish.RoomName}"));
            }

            var room = Room(publish.RoomName);
            var from = new MessageSender(clientId, client.UserId);
            string[]? exclude = publish.Echo ? null : [clientId];
            if (publish.Transient)
            {
                var frame = ServerFrames.Push(publish.Type, publish.Action, publish.Data, publish.RoomName, 0, from.ClientId, from.UserId);
                foreach (var gatewayId in GatewaysOf(room))
                {
                    PushLocked(gatewayId, new RoomEventPush(publish.RoomName, frame, exclude));
                }

                return Task.FromResult(new RoomPublishResult(0));
            }

            if (room.LoseNext)
            {
                room.LoseNext = false;
                room.Seq++;
                room.History.Add(new HistoryEntry(room.Seq, ServerFrames.Push("lost", "lost", RealtimeJson.Null, publish.RoomName, room.Seq), null));
            }

            var seq = ++room.Seq;
            var push = ServerFrames.Push(publish.Type, publish.Action, publish.Data, publish.RoomName, seq, from.ClientId, from.UserId);
            room.History.Add(new HistoryEntry(seq, push, exclude));
            foreach (var gatewayId in GatewaysOf(room))
            {
                PushLocked(gatewayId, new RoomPush(publish.RoomName, seq, push, exclude, null, room.Epoch));
            }

            return Task.FromResult(new RoomPublishResult(seq));
        }
    }

    public Task<RoomPresenceResult> GetPresenceAsync(string clientId, string roomName)
    {
        lock (_lock)
        {
            EnsureReachable();
            Interlocked.Increment(ref _roomCalls);
            if (!Client(clientId).Rooms.Contains(roomName))
            {
                return Task.FromResult(RoomPresenceResult.Fail(ErrorCodes.Forbidden, $"Only members may see who is in {roomName}"));
            }

            var members = Room(roomName).Members.Select(id => new RoomMember(id, _clients[id].UserId, _clients[id].GatewayId)).ToArray();
            return Task.FromResult(new RoomPresenceResult(members));
        }
    }

    public Task<ClientMetadataChange> SetMetadataAsync(string clientId, string key, string? value)
    {
        lock (_lock)
        {
            EnsureReachable();
            var client = Client(clientId);
            if (value is null)
            {
                client.Metadata.Remove(key);
            }
            else
            {
                client.Metadata[key] = value;
            }

            // As the cluster does, a client's own change is answered, not sent on the stream.
            client.MetadataVersion++;
            return Task.FromResult(new ClientMetadataChange(clientId, new Dictionary<string, string>(client.Metadata, StringComparer.Ordinal), client.MetadataVersion));
        }
    }

    public Task UpdateClaimsAsync(string clientId, UserClaim[] claims)
    {
        lock (_lock)
        {
            EnsureReachable();
            _ = Client(clientId);
            return Task.CompletedTask;
        }
    }

    public Task<HandlerReply> HandleAsync(string clientId, InboundMessage message)
    {
        lock (_lock)
        {
            EnsureReachable();
            _ = Client(clientId);
        }

        return Task.FromResult(Handler(clientId, message));
    }

    public async Task<RoomHistorySlice> GetRoomHistoryAsync(string roomName, long afterSeq)
    {
        if (BeforeHistoryRead is { } before)
        {
            await before(roomName);
        }

        lock (_lock)
        {
            EnsureReachable();
            Interlocked.Increment(ref _roomCalls);
            var room = Room(roomName);
            var entries = room.History.Where(e => e.Seq > afterSeq).ToList();
            return new RoomHistorySlice(
                room.Seq, room.Epoch, entries.Count == room.Seq - afterSeq, [.. entries.Select(e => e.Seq)], [.. entries.Select(e => e.Frame)], [.. entries.Select(e => e.Exclude)]);
        }
    }

    public Task<bool> RenewLeaseAsync(string gatewayId, TimeSpan leaseTime)
    {
        lock (_lock)
        {
            EnsureReachable();
            _leases.Add(gatewayId);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseLeaseAsync(string gatewayId)
    {
        lock (_lock)
        {
            EnsureReachable();
            _leases.Remove(gatewayId);
            return Task.CompletedTask;
        }
    }

    public Task<int> CountListedConnectionsAsync(string gatewayId)
    {
        lock (_lock)
        {
            EnsureReachable();
            return Task.FromResult(_clients.Values.Count(c => c.GatewayId == gatewayId));
        }
    }

    public Task ListConnectionsAsync(string gatewayId, string[] clientIds)
    {
        lock (_lock)
        {
            EnsureReachable();
            _listed[gatewayId] = clientIds;
            return Task.CompletedTask;
        }
    }

    public Task<int> CountGatewaysAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            EnsureReachable();
            return Task.FromResult(_leases.Count);
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(string gatewayId, Func<IReadOnlyList<GatewayMessage>, Task> onMessages)
    {
        lock (_lock)
        {
            EnsureReachable();
            var lane = new Lane(onMessages);
            _lanes[gatewayId] = lane;
            return Task.FromResult<IAsyncDisposable>(new Subscription(this, gatewayId, lane));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Lane[] lanes;
        lock (_lock)
        {
            lanes = [.. _lanes.Values];
            _lanes.Clear();
        }

        foreach (var lane in lanes)
        {
            await lane.CompleteAsync();
        }
    }

    private void EnsureReachable()
    {
        if (!Reachable)
        {
            throw new TimeoutException("The fake cluster is unreachable.");
        }
    }

    private FakeClient Client(string clientId)
        => _clients.TryGetValue(clientId, out var client) ? client : throw new InvalidOperationException($"Client {clientId} is not registered.");

    private FakeRoom Room(string name)
    {
        if (!_rooms.TryGetValue(name, out var room))
        {
            room = _rooms[name] = new FakeRoom("e" + Guid.NewGuid().ToString("N")[..6]);
        }

        return room;
    }

    private List<string> GatewaysOf(FakeRoom room)
        => room.Members.Select(id => _clients[id].GatewayId).Distinct(StringComparer.Ordinal).ToList();

    private void PushLocked(string gatewayId, GatewayMessage item)
    {
        if (_lanes.TryGetValue(gatewayId, out var lane))
        {
            lane.Post(item);
        }
    }

    private sealed record FakeClient(string? UserId, string GatewayId, Dictionary<string, string> Metadata)
    {
        public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

        public long MetadataVersion { get; set; }
    }

    private sealed class FakeRoom(string epoch)
    {
        public string Epoch { get; } = epoch;

        public long Seq { get; set; }

        public bool LoseNext { get; set; }

        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

        public List<HistoryEntry> History { get; } = [];
    }

    private sealed record HistoryEntry(long Seq, byte[] Frame, string[]? Exclude);

    /// <summary>One gateway's stream: items handed over one at a time, in the order they were put on it.</summary>
    private sealed class Lane
    {
        private readonly Channel<GatewayMessage> _items = Channel.CreateUnbounded<GatewayMessage>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Task _pump;

        public Lane(Func<IReadOnlyList<GatewayMessage>, Task> onMessages) => _pump = PumpAsync(onMessages);

        public void Post(GatewayMessage item) => _items.Writer.TryWrite(item);

        public async Task CompleteAsync()
        {
            _items.Writer.TryComplete();
            await _pump;
        }

        private async Task PumpAsync(Func<IReadOnlyList<GatewayMessage>, Task> onMessages)
        {
            await Task.Yield();
            await foreach (var item in _items.Reader.ReadAllAsync())
            {
                try
                {
                    await onMessages([item]);
                }
                catch (Exception)
                {
                    // As on a real stream: a failing consumer does not end the subscription.
                }
            }
        }
    }

    private sealed class Subscription(FakeGatewayCluster owner, string gatewayId, Lane lane) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            lock (owner._lock)
            {
                if (owner._lanes.TryGetValue(gatewayId, out var current) && ReferenceEquals(current, lane))
                {
                    owner._lanes.Remove(gatewayId);
                }
            }

            await lane.CompleteAsync();
        }
    }
}
