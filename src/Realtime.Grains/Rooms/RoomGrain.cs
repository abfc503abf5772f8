using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Realtime.Delivery;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// Owns a room's order. Not reentrant on purpose: one request at a time is what makes the seq
/// gap-free and a join atomic with respect to the broadcasts around it.
/// </summary>
internal sealed partial class RoomGrain : Grain, IRoomGrain
{
    private readonly IPersistentState<RoomGrainState> _state;
    private readonly IPersistentState<RoomHistoryState> _savedHistory;
    private readonly RoomOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomGrain> _logger;
    private readonly Dictionary<string, int> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IAsyncStream<GatewayMessage>> _streams = new(StringComparer.Ordinal);
    private RoomHistory _history = null!;
    private string _name = "";
    private long _seq;
    private bool _historyDirty;
    private IGrainTimer? _flushTimer;

    public RoomGrain(
        [PersistentState("room", RealtimeStorage.Name)] IPersistentState<RoomGrainState> state,
        [PersistentState("roomHistory", RealtimeStorage.Name)] IPersistentState<RoomHistoryState> savedHistory,
        IOptions<RoomOptions> options,
        [FromKeyedServices(RealtimeClock.Key)] TimeProvider time,
        ILogger<RoomGrain> logger)
    {
        _state = state;
        _savedHistory = savedHistory;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private RoomGrainState State => _state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = this.GetPrimaryKeyString();
        _history = new RoomHistory(_options.HistorySize, _options.HistoryTtl, _options.HistoryMaxBytes);
        var now = _time.GetUtcNow().UtcTicks;
        if (State.Epoch.Length == 0)
        {
            State.Epoch = NewEpoch();
            State.Members.Clear();
            _seq = 0;
        }
        else
        {
            // After a clean deactivation the seq is exact; otherwise any seq up to the reservation
            // may have reached clients, so resume after it and let them see the gap.
            _seq = State.Clean ? State.Seq : Math.Max(State.Seq, State.ReservedSeq);
            if (_savedHistory.State.Epoch == State.Epoch)
            {
                _history.Load(_savedHistory.State.Entries, now);
            }

            if (!State.Clean && _seq > State.Seq)
            {
                LogResumedAfterReservation(_name, State.Seq, _seq);
            }
        }

        foreach (var member in State.Members.Values)
        {
            CountGateway(member.GatewayId, +1);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
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
        _flushTimer?.Dispose();
        _history.Evict(_time.GetUtcNow().UtcTicks);
        if (State.Members.Count == 0 && _history.Count == 0)
        {
            // Nothing to recover and nobody here: forget the room. A later join starts a new epoch,
            // so a client asking for old seqs is told they are gone.
            if (_state.RecordExists)
            {
                await _state.ClearStateAsync(cancellationToken);
            }

            if (_savedHistory.RecordExists)
            {
                await _savedHistory.ClearStateAsync(cancellationToken);
            }

            return;
        }

        await FlushHistory(cancellationToken);
        State.Seq = _seq;
        State.ReservedSeq = _seq;
        State.Clean = true;
        await _state.WriteStateAsync(cancellationToken);
    }

    public async Task<RoomJoinResult> Join(RoomJoinRequest request)
    {
        var member = new RoomMember(request.ClientId, request.UserId, request.GatewayId, request.Metadata);
        if (State.Members.TryGetValue(request.ClientId, out var existing))
        {
            if (!SameMember(existing, member))
            {
                CountGateway(existing.GatewayId, -1);
                await AddMember(member);
                if (!SameMetadata(existing, member) && _options.PresenceEventsFor(_name))
                {
                    await SendToGateways(new RoomEventPush(_name, PresenceFrame("update", member)));
                }
            }
        }
        else
        {
            // A user with several connections here joins once; its next connections update it.
            var userAlreadyHere = member.UserId is not null && ConnectionsOf(member.UserId).Any();
            await AddMember(member);
            if (_options.PresenceEventsFor(_name))
            {
                await SendToGateways(new RoomEventPush(_name, PresenceFrame(userAlreadyHere ? "update" : "join", member), [member.ClientId]));
            }
        }

        if (request.NotifyGateway)
        {
            // Before any push that follows: the gateway starts delivering exactly after this seq.
            await StreamFor(request.GatewayId).OnNextAsync(new RoomMembershipChange(_name, request.ClientId, Joined: true, _seq, State.Epoch));
        }

        return Recover(request.Since, request.Epoch, request.ClientId, request.ClientMetadata);
    }

    public async Task<bool> Leave(string clientId, bool notifyGateway = false)
    {
        if (!State.Members.Remove(clientId, out var member))
        {
            return false;
        }

        if (notifyGateway)
        {
            await StreamFor(member.GatewayId).OnNextAsync(new RoomMembershipChange(_name, clientId, Joined: false, _seq, State.Epoch));
        }

        CountGateway(member.GatewayId, -1);
        await WriteState();

        // A user with several connections here leaves when the last one does; before, it is updated.
        var userStillHere = member.UserId is not null && ConnectionsOf(member.UserId).Any();
        if (_options.PresenceEventsFor(_name) && _gateways.Count > 0)
        {
            await SendToGateways(new RoomEventPush(_name, PresenceFrame(userStillHere ? "update" : "leave", member)));
        }

        return true;
    }

    public async Task UpdateMember(string clientId, Dictionary<string, string>? metadata)
    {
        if (State.Members.TryGetValue(clientId, out var existing))
        {
            var updated = existing with { Metadata = metadata };
            if (!SameMember(existing, updated))
            {
                State.Members[clientId] = updated;
                await WriteState();
                if (_options.PresenceEventsFor(_name))
                {
                    await SendToGateways(new RoomEventPush(_name, PresenceFrame("update", updated)));
                }
            }
        }
    }

    public async Task<RoomPublishResult> Publish(RoomPublishRequest request)
    {
        var from = request.From;
        if (from is not null)
        {
            if (State.Members.TryGetValue(from.ClientId, out var member))
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

        var seq = _seq + 1;
        if (seq > State.ReservedSeq)
        {
            // Only a reservation that reached storage may be used: a silo that dies resumes after it.
            var reserved = State.ReservedSeq;
            State.ReservedSeq = seq + _options.SeqReservation - 1;
            State.Seq = _seq;
            try
            {
                await WriteState();
            }
            catch
            {
                State.ReservedSeq = reserved;
                throw;
            }
        }

        _seq = seq;
        var frame = ServerFrames.Push(request.Type, request.Action, request.Data, _name, seq, from?.ClientId, from?.UserId);
        var exclude = Excluded(request, from);
        _history.Add(new RoomHistoryEntry(seq, _time.GetUtcNow().UtcTicks, frame, exclude, request.Filter));
        ScheduleHistoryFlush();

        if (_gateways.Count > 0)
        {
            try
            {
                await SendToGateways(new RoomPush(_name, seq, frame, exclude, request.Filter, State.Epoch));
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

    public Task<RoomMember[]> GetMembers() => Task.FromResult(State.Members.Values.ToArray());

    public Task<int> GetMemberCount() => Task.FromResult(State.Members.Count);

    public Task<string[]> GetGateways() => Task.FromResult(_gateways.Keys.ToArray());

    private async Task<RoomPublishResult> PublishTransient(RoomPublishRequest request, MessageSender? from)
    {
        if (_gateways.Count > 0)
        {
            await SendToGateways(new RoomEventPush(_name, ServerFrames.Push(request.Type, request.Action, request.Data, _name, 0, from?.ClientId, from?.UserId), Excluded(request, from), request.Filter));
        }

        return new RoomPublishResult(0);
    }

    /// <summary>The request's exclude list, plus the sender unless it asked for its own push back.</summary>
    private static string[]? Excluded(RoomPublishRequest request, MessageSender? from)
        => from is not null && !request.Echo ? [.. request.Exclude ?? [], from.ClientId] : request.Exclude;

    private async Task AddMember(RoomMember member)
    {
        State.Members[member.ClientId] = member;
        CountGateway(member.GatewayId, +1);
        await WriteState();
    }

    private Task WriteState()
    {
        State.Clean = false;
        return _state.WriteStateAsync();
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

    /// <summary>One stream item per gateway with members; awaited, so the room's items stay in order on each stream.</summary>
    private Task SendToGateways(GatewayMessage message)
    {
        if (_gateways.Count == 1)
        {
            foreach (var gatewayId in _gateways.Keys)
            {
                return StreamFor(gatewayId).OnNextAsync(message);
            }
        }

        var sends = new List<Task>(_gateways.Count);
        foreach (var gatewayId in _gateways.Keys)
        {
            sends.Add(StreamFor(gatewayId).OnNextAsync(message));
        }

        return Task.WhenAll(sends);
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
