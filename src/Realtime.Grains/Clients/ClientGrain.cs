using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Delivery;
using Realtime.Handlers;
using Realtime.Hosting;
using Realtime.Presence;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Clients;

/// <summary>
/// One connection. Not reentrant: the connection's frames run in the order they arrived, and a
/// join, a leave and a handler never see each other half done. Reads that a handler may need about
/// its own connection (<see cref="GetGateway"/>, <see cref="GetInfo"/>) interleave.
/// </summary>
internal sealed partial class ClientGrain : Grain, IClientGrain
{
    private static readonly IReadOnlyDictionary<string, string> s_noMetadata = new Dictionary<string, string>();

    private readonly IPersistentState<ClientGrainState> _state;
    private readonly HandlerDispatcher _dispatcher;
    private readonly RoomAccessControl _access;
    private readonly ClientOptions _options;
    private readonly RoomOptions _rooms;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientGrain> _logger;
    private DateTimeOffset _lastActivity;
    private ClaimsPrincipal? _user;

    public ClientGrain(
        [PersistentState("client", RealtimeStorage.Name)] IPersistentState<ClientGrainState> state,
        HandlerDispatcher dispatcher,
        RoomAccessControl access,
        IOptions<ClientOptions> options,
        IOptions<RoomOptions> rooms,
        TimeProvider time,
        ILogger<ClientGrain> logger)
    {
        _state = state;
        _dispatcher = dispatcher;
        _access = access;
        _options = options.Value;
        _rooms = rooms.Value;
        _time = time;
        _logger = logger;
    }

    private ClientGrainState State => _state.State;

    private string ClientId => this.GetPrimaryKeyString();

    private ClaimsPrincipal User => _user ??= ClientClaims.ToPrincipal(State.UserId, State.Claims);

    private IReadOnlyDictionary<string, string> Metadata => State.Metadata.Count == 0 ? s_noMetadata : State.Metadata;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastActivity = _time.GetUtcNow();
        return Task.CompletedTask;
    }

    public async Task<ConnectResult> Connect(ClientRegistration registration)
    {
        State.Connected = true;
        State.UserId = registration.UserId;
        State.GatewayId = registration.GatewayId;
        State.Path = registration.Path;
        State.Metadata = new Dictionary<string, string>(registration.Metadata, StringComparer.Ordinal);
        State.Claims = registration.Claims is null ? [] : [.. registration.Claims];
        State.Rooms = [];
        State.ConnectedAt = registration.ConnectedAt;
        _user = null;
        _lastActivity = _time.GetUtcNow();
        if (registration.UserId is { } userId)
        {
            var connection = new UserConnection(ClientId, registration.GatewayId, registration.ConnectedAt);
            if (!await GrainFactory.GetUserPresenceGrain(userId).AddConnection(connection, registration.MaxConnectionsPerUser))
            {
                _state.State = new ClientGrainState();
                DeactivateOnIdle();
                return new ConnectResult(false, CloseCodes.PolicyViolation, "too many connections");
            }
        }

        await _state.WriteStateAsync();

        // Listed under its gateway before the gateway hears back: if the gateway dies from here on,
        // the connection is unregistered when its lease runs out.
        await GrainFactory.GetGatewayConnections(registration.GatewayId).Update([ClientId], []);
        return ConnectResult.Ok;
    }

    public async Task UpdateClaims(UserClaim[] claims)
    {
        State.Claims = [.. claims];
        _user = null;
        await _state.WriteStateAsync();
    }

    public async Task Disconnect()
    {
        if (State.Connected)
        {
            var leaves = new List<Task>(State.Rooms.Count + 1);
            foreach (var room in State.Rooms)
            {
                leaves.Add(LeaveQuietly(room));
            }

            if (State.UserId is { } userId)
            {
                leaves.Add(RemovePresenceQuietly(userId));
            }

            leaves.Add(UnlistQuietly(State.GatewayId));
            await Task.WhenAll(leaves);
        }

        if (_state.RecordExists)
        {
            await _state.ClearStateAsync();
        }

        _state.State = new ClientGrainState();
        DeactivateOnIdle();
    }

    public async Task<JoinRoomResult> JoinRoom(JoinRoomRequest request)
    {
        if (!State.Connected)
        {
            return new JoinRoomResult(RoomJoinResult.Fail(ErrorCodes.Unauthorized, "The connection is not registered"), []);
        }

        _lastActivity = _time.GetUtcNow();
        var roomName = request.RoomName;
        var isNew = !State.Rooms.Contains(roomName);
        if (isNew && _options.ClientCanJoinMultipleRooms && State.Rooms.Count >= _options.MaxRoomsPerClient)
        {
            return new JoinRoomResult(RoomJoinResult.Fail(ErrorCodes.Forbidden, $"A connection may be in at most {_options.MaxRoomsPerClient} rooms"), []);
        }

        // Every join and every recovery asks the room's authorizer (the server's own joins excepted):
        // a refused client gets no history.
        var refusal = request.ByServer ? null : await _access.Check(AccessContext(request.Since is null ? RoomAccess.Join : RoomAccess.Recover, roomName));
        if (refusal is not null)
        {
            if (!isNew)
            {
                // A member refused a recovery gets nothing more of the room.
                State.Rooms.Remove(roomName);
                await LeaveQuietly(roomName);
                await _state.WriteStateAsync();
            }

            return new JoinRoomResult(RoomJoinResult.Fail(ErrorCodes.Forbidden, refusal), []);
        }

        var result = await GrainFactory.GetRoomGrain(roomName).Join(
            new RoomJoinRequest(ClientId, State.UserId, State.GatewayId, request.Since, request.Epoch, ExposedMetadata(roomName), State.Metadata, NotifyGateway: request.ByServer));
        if (!result.Ok || !isNew)
        {
            return new JoinRoomResult(result, []);
        }

        // One room at a time: the new room is joined first, so a refused join leaves the old one in place.
        string[] left = [];
        if (!_options.ClientCanJoinMultipleRooms && State.Rooms.Count > 0)
        {
            left = [.. State.Rooms];
            await Task.WhenAll(left.Select(room => LeaveQuietly(room, request.ByServer)));
            State.Rooms.Clear();
        }

        State.Rooms.Add(roomName);
        await _state.WriteStateAsync();
        return new JoinRoomResult(result, left);
    }

    public async Task LeaveRoom(string roomName, bool byServer = false)
    {
        _lastActivity = _time.GetUtcNow();
        var wasMember = State.Rooms.Remove(roomName);
        await GrainFactory.GetRoomGrain(roomName).Leave(ClientId, notifyGateway: byServer);
        if (wasMember)
        {
            await _state.WriteStateAsync();
        }
    }

    public async Task<RoomPublishResult> Publish(string roomName, string type, string action, byte[] data, bool echo)
    {
        if (!State.Connected)
        {
            return RoomPublishResult.Fail(ErrorCodes.Unauthorized, "The connection is not registered");
        }

        _lastActivity = _time.GetUtcNow();
        var refusal = await _access.Check(AccessContext(RoomAccess.Publish, roomName));
        if (refusal is not null)
        {
            return RoomPublishResult.Fail(ErrorCodes.Forbidden, refusal);
        }

        var membersOnly = _rooms.PublishFor(roomName) == PublishPolicy.Members;
        return await GrainFactory.GetRoomGrain(roomName).Publish(
            new RoomPublishRequest(new MessageSender(ClientId, State.UserId), type, action, data, echo, MembersOnly: membersOnly));
    }

    public async Task<RoomPresenceResult> GetRoomPresence(string roomName)
    {
        if (!State.Connected)
        {
            return RoomPresenceResult.Fail(ErrorCodes.Unauthorized, "The connection is not registered");
        }

        _lastActivity = _time.GetUtcNow();
        var refusal = await _access.Check(AccessContext(RoomAccess.Presence, roomName));
        return refusal is null
            ? new RoomPresenceResult(await GrainFactory.GetRoomGrain(roomName).GetMembers())
            : RoomPresenceResult.Fail(ErrorCodes.Forbidden, refusal);
    }

    public async Task SetMetadata(string key, string? value)
    {
        _lastActivity = _time.GetUtcNow();
        await ApplyMetadata(new Dictionary<string, string?> { [key] = value });
    }

    public async Task UpdateMetadata(Dictionary<string, string?> changes)
    {
        if (!State.Connected || changes.Count == 0)
        {
            return;
        }

        await ApplyMetadata(changes);

        // The gateway keeps a copy for its delivery filters.
        await this.GetStreamProvider(RealtimeStreams.ProviderName)
            .GetStream<GatewayMessage>(RealtimeStreams.ForGateway(State.GatewayId))
            .OnNextAsync(new ClientMetadataChange(ClientId, State.Metadata));
    }

    private async Task ApplyMetadata(Dictionary<string, string?> changes)
    {
        // Copy on write: a handler still running holds the previous dictionary.
        var metadata = new Dictionary<string, string>(State.Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                metadata.Remove(key);
            }
            else
            {
                metadata[key] = value;
            }
        }

        State.Metadata = metadata;
        await _state.WriteStateAsync();

        // Rooms that show a changed key to their members get the new value.
        var updates = State.Rooms
            .Where(room => _rooms.ExposedMetadataFor(room).Any(changes.ContainsKey))
            .Select(room => GrainFactory.GetRoomGrain(room).UpdateMember(ClientId, ExposedMetadata(room)));
        await Task.WhenAll(updates);
    }

    public Task<HandlerReply> Handle(InboundMessage message)
    {
        if (!State.Connected)
        {
            return Task.FromResult(HandlerReply.Fail(ErrorCodes.Unauthorized, "The connection is not registered"));
        }

        _lastActivity = _time.GetUtcNow();
        return _dispatcher.Dispatch(new HandlerCaller(ClientId, State.UserId, User, Metadata), message);
    }

    public Task<ClientInfo?> GetInfo()
        => Task.FromResult(State.Connected
            ? new ClientInfo(ClientId, State.UserId, State.GatewayId, State.Path, State.Metadata, [.. State.Rooms], State.ConnectedAt, _lastActivity)
            : null);

    public Task<string?> GetGateway() => Task.FromResult(State.Connected ? State.GatewayId : null);

    private RoomAccessContext AccessContext(RoomAccess access, string roomName)
        => new(access, roomName, ClientId, State.UserId, User, Metadata, State.Rooms.Contains(roomName), ServiceProvider);

    private Dictionary<string, string>? ExposedMetadata(string roomName)
    {
        var keys = _rooms.ExposedMetadataFor(roomName);
        if (keys.Length == 0)
        {
            return null;
        }

        var exposed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (State.Metadata.TryGetValue(key, out var value))
            {
                exposed[key] = value;
            }
        }

        return exposed;
    }

    private async Task RemovePresenceQuietly(string userId)
    {
        try
        {
            await GrainFactory.GetUserPresenceGrain(userId).RemoveConnection(ClientId);
        }
        catch (Exception exception)
        {
            LogPresenceRemoveFailed(exception, ClientId, userId);
        }
    }

    private async Task UnlistQuietly(string gatewayId)
    {
        try
        {
            await GrainFactory.GetGatewayConnections(gatewayId).Update([], [ClientId]);
        }
        catch (Exception exception)
        {
            LogUnlistFailed(exception, ClientId, gatewayId);
        }
    }

    private async Task LeaveQuietly(string roomName) => await LeaveQuietly(roomName, notifyGateway: false);

    private async Task LeaveQuietly(string roomName, bool notifyGateway)
    {
        try
        {
            await GrainFactory.GetRoomGrain(roomName).Leave(ClientId, notifyGateway);
        }
        catch (Exception exception)
        {
            LogLeaveFailed(exception, ClientId, roomName);
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Client {ClientId} could not leave room {Room}.")]
    private partial void LogLeaveFailed(Exception exception, string clientId, string room);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Client {ClientId} could not be taken off the list of gateway {GatewayId}.")]
    private partial void LogUnlistFailed(Exception exception, string clientId, string gatewayId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Client {ClientId} could not leave the presence of user {UserId}.")]
    private partial void LogPresenceRemoveFailed(Exception exception, string clientId, string userId);
}
