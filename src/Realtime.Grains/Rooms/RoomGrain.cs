using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Streams;
using Realtime.Delivery;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// Owns a room's order. Publishes run one at a time, which makes the seq gap-free. Joins, leaves
/// and member updates interleave with them: each takes its place in the order in one synchronous
/// step (the seq it returns is the last push it does not get) and then waits for its write, which
/// it shares with the others that arrived meanwhile. Stream items leave in the order they were
/// made, whichever request made them.
/// </summary>
[GrainType("room")]
internal sealed partial class RoomGrain : Grain, IRoomGrain
{
    private readonly IPersistentState<RoomGrainState> _state;
    private readonly IGrainStorage _storage;
    private readonly RoomOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomGrain> _logger;
    private readonly SiloShutdown _shutdown;
    private readonly Dictionary<string, int> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IAsyncStream<GatewayMessage>> _streams = new(StringComparer.Ordinal);
    private RoomHistory _history = null!;
    private RoomIdempotency _keys = null!;
    private string _name = "";
    private long _seq;
    private WriteBehind _historyWrites = null!;
    private HistoryRecords _savedHistory = null!;
    private readonly OrderedSends _sends = new();
    private readonly Diagnostics.GrainMetrics _metrics;
    private bool _counted;

    public RoomGrain(
        [PersistentState("room", RealtimeStorage.Name)] IPersistentState<RoomGrainState> state,
        [FromKeyedServices(RealtimeStorage.Name)] IGrainStorage storage,
        IOptions<RoomOptions> options,
        [FromKeyedServices(RealtimeClock.Key)] TimeProvider time,
        ILogger<RoomGrain> logger,
        SiloShutdown shutdown,
        Diagnostics.GrainMetrics metrics)
    {
        _metrics = metrics;
        _state = state;
        _storage = storage;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _shutdown = shutdown;
    }

    private RoomGrainState State => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = this.GetPrimaryKeyString();
        _history = new RoomHistory(_options.HistorySize, _options.HistoryTtl, _options.HistoryMaxBytes);
        _keys = new RoomIdempotency(_options.IdempotencyWindow, _options.IdempotencyMaxKeys, _options.IdempotencyMaxBytes);
        _historyWrites = new WriteBehind(this, _options.HistoryFlushInterval, WriteHistory);
        _savedHistory = new HistoryRecords(_storage, this.GetGrainId(), "roomHistory");
        var now = _time.GetUtcNow().UtcTicks;
        if (State.Epoch.Length == 0)
        {
            State.Epoch = NewEpoch();
            State.Members.Clear();
            State.MemberRecords = 1;
            _seq = 0;
        }
        else
        {
            // After a clean deactivation the seq is exact; otherwise any seq up to the reservation
            // may have reached clients, so resume after it and let them see the gap.
            _seq = State.Clean ? State.Seq : Math.Max(State.Seq, State.ReservedSeq);
            _reservedSeq = State.ReservedSeq;
            var (entries, keys) = await _savedHistory.LoadAsync(State.Epoch);
            _history.Load(entries, now);
            _keys.Load(keys, now);

            if (!State.Clean && _seq > State.Seq)
            {
                LogResumedAfterReservation(_name, State.Seq, _seq);
            }
        }

        await LoadMembers();
        foreach (var member in _members.All)
        {
            CountGateway(member.GatewayId, +1);
        }

        _counted = true;
        _metrics.RoomActivated();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_counted)
        {
            _counted = false;
            _metrics.RoomDeactivated();
        }

        if (_shutdown.StateDiesWith(reason))
        {
            _historyWrites.Stop();
            return;
        }

        try
        {
            await SaveOnDeactivate(cancellationToken);
        }
        catch (Exception exception)
        {
            // Storage may be going away with the silo: the seq reservation keeps seqs unique anyway.
            LogSaveOnDeactivateFailed(exception, _name, reason.ReasonCode);
        }
    }

    private async Task SaveOnDeactivate(CancellationToken cancellationToken)
    {
        _historyWrites.Stop();
        var now = _time.GetUtcNow().UtcTicks;
        _history.Evict(now);
        _keys.Evict(now);
        if (_members.Count == 0 && _history.Count == 0 && _keys.Count == 0)
        {
            // Nothing to recover and nobody here: forget the room. A later join starts a new epoch,
            // so a client asking for old seqs is told they are gone.
            await ClearRecords(cancellationToken);
            await _savedHistory.ClearAsync();

            return;
        }

        await _historyWrites.FlushAsync(cancellationToken);
        await SaveClean(cancellationToken);
    }

    public async Task<RoomPublishResult> Publish(RoomPublishRequest request)
    {
        var from = request.From;
        if (request.ViaGateway is { } viaGateway)
        {
            // A client's publish straight from its gateway: the sender is the room's member on that
            // gateway, never what the frame says.
            if (RoomRecovery.RefusedFromGateway(_options.PublishFor(_name), _name) is { } refused)
            {
                return refused;
            }

            if (from is null || !_members.TryGet(from.ClientId, out var sender) || sender.GatewayId != viaGateway)
            {
                return RoomPublishResult.Fail(ErrorCodes.Forbidden, $"Not a member of {_name}");
            }

            from = new MessageSender(sender.ClientId, sender.UserId);
        }
        else if (from is not null)
        {
            if (_members.TryGet(from.ClientId, out var member))
            {
                // The identity in `from` is the room's record of the member, never what the caller says.
                from = new MessageSender(member.ClientId, member.UserId);
            }
            else if (request.MembersOnly)
            {
                return RoomPublishResult.Fail(ErrorCodes.Forbidden, $"Not a member of {_name}");
            }
        }

        if (request.Transient)
        {
            return await PublishTransient(request, from);
        }

        var now = _time.GetUtcNow().UtcTicks;
        string? key = null;
        if (request.IdempotencyKey is { } idempotencyKey)
        {
            key = RoomIdempotency.Scoped(idempotencyKey, from?.UserId, from?.ClientId);
            if (_keys.TryGet(key, now, out var firstSeq))
            {
                return new RoomPublishResult(firstSeq, Duplicate: true);
            }
        }

        var seq = _seq + 1;
        if (seq > _reservedSeq)
        {
            // Only a reservation that reached storage may be used: a silo that dies resumes after it.
            await Reserve(seq + _options.SeqReservation - 1);
        }

        _seq = seq;
        var frame = ServerFrames.Push(request.Type, request.Action, request.Data, _name, seq, from?.ClientId, from?.UserId);
        var exclude = RoomRecovery.Excluded(request, from);
        _history.Add(new RoomHistoryEntry(seq, now, frame, exclude, request.Filter));
        if (key is not null)
        {
            _keys.Add(key, seq, now);
            _savedHistory.KeysChanged();
        }

        _historyWrites.Changed();

        using var activity = Diagnostics.GrainActivities.StartPublish(_name);
        activity?.SetTag("realtime.seq", seq);
        if (_gateways.Count > 0)
        {
            try
            {
                await SendToGateways(new RoomPush(_name, seq, frame, exclude, request.Filter, State.Epoch, now, activity?.Id));
            }
            catch (Exception exception)
            {
                // The push has its seq and is in history: a gateway that missed it sees the gap on
                // the room's next push and recovers it. Failing the publish now would invite a
                // retry, and the same message twice under two seqs.
                LogStreamSendFailed(exception, _name, seq);
            }
        }

        return new RoomPublishResult(seq);
    }

    public Task<RoomMember[]> GetMembers() => Task.FromResult(_members.All.ToArray());

    public Task<int> GetMemberCount() => Task.FromResult(_members.Count);

    public Task<string[]> GetGateways() => Task.FromResult(_gateways.Keys.ToArray());

    private async Task<RoomPublishResult> PublishTransient(RoomPublishRequest request, MessageSender? from)
    {
        if (_gateways.Count > 0)
        {
            await SendToGateways(new RoomEventPush(_name, ServerFrames.Push(request.Type, request.Action, request.Data, _name, 0, from?.ClientId, from?.UserId), RoomRecovery.Excluded(request, from), request.Filter));
        }

        return new RoomPublishResult(0);
    }

    private void CountGateway(string gatewayId, int delta)
    {
        var count = _gateways.GetValueOrDefault(gatewayId) + delta;
        if (count > 0)
        {
            _gateways[gatewayId] = count;
        }
        else
        {
            _gateways.Remove(gatewayId);
            _streams.Remove(gatewayId);
        }
    }

    /// <summary>One stream item per gateway with members, after every item made before it.</summary>
    private Task SendToGateways(GatewayMessage message)
    {
        if (_gateways.Count == 1)
        {
            foreach (var gatewayId in _gateways.Keys)
            {
                return Send(gatewayId, message);
            }
        }

        var streams = new IAsyncStream<GatewayMessage>[_gateways.Count];
        var i = 0;
        foreach (var gatewayId in _gateways.Keys)
        {
            streams[i++] = StreamFor(gatewayId);
        }

        return _sends.InOrder(() => Task.WhenAll(streams.Select(stream => stream.OnNextAsync(message))));
    }

    /// <summary>One stream item for one gateway, after every item made before it.</summary>
    private Task Send(string gatewayId, GatewayMessage message)
    {
        var stream = StreamFor(gatewayId);
        return _sends.InOrder(() => stream.OnNextAsync(message));
    }

    private IAsyncStream<GatewayMessage> StreamFor(string gatewayId)
    {
        if (!_streams.TryGetValue(gatewayId, out var stream))
        {
            stream = this.GetStreamProvider(RealtimeStreams.ProviderName).GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gatewayId));
            _streams[gatewayId] = stream;
        }

        return stream;
    }

    private static string NewEpoch() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
