using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    private readonly ClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientGrain> _logger;
    private DateTimeOffset _lastActivity;

    public ClientGrain(
        [PersistentState("client", RealtimeStorage.Name)] IPersistentState<ClientGrainState> state,
        HandlerDispatcher dispatcher,
        IOptions<ClientOptions> options,
        TimeProvider time,
        ILogger<ClientGrain> logger)
    {
        _state = state;
        _dispatcher = dispatcher;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private ClientGrainState State => _state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastActivity = _time.GetUtcNow();
        return Task.CompletedTask;
    }

    private string ClientId => this.GetPrimaryKeyString();

    public async Task Connect(ClientRegistration registration)
    {
        State.Connected = true;
        State.UserId = registration.UserId;
        State.GatewayId = registration.GatewayId;
        State.Path = registration.Path;
        State.Metadata = new Dictionary<string, string>(registration.Metadata, StringComparer.Ordinal);
        State.Rooms = [];
        State.ConnectedAt = registration.ConnectedAt;
        _lastActivity = _time.GetUtcNow();
        await _state.WriteStateAsync();
        if (registration.UserId is { } userId)
        {
            await GrainFactory.GetUserPresenceGrain(userId).AddConnection(new UserConnection(ClientId, registration.GatewayId, registration.ConnectedAt));
        }
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

        var result = await GrainFactory.GetRoomGrain(roomName)
            .Join(new RoomJoinRequest(ClientId, State.UserId, State.GatewayId, request.Since, request.Epoch));
        if (!result.Ok || !isNew)
        {
            return new JoinRoomResult(result, []);
        }

        // One room at a time: the new room is joined first, so a refused join leaves the old one in place.
        string[] left = [];
        if (!_options.ClientCanJoinMultipleRooms && State.Rooms.Count > 0)
        {
            left = [.. State.Rooms];
            await Task.WhenAll(left.Select(LeaveQuietly));
            State.Rooms.Clear();
        }

        State.Rooms.Add(roomName);
        await _state.WriteStateAsync();
        return new JoinRoomResult(result, left);
    }

    public async Task LeaveRoom(string roomName)
    {
        _lastActivity = _time.GetUtcNow();
        var wasMember = State.Rooms.Remove(roomName);
        await GrainFactory.GetRoomGrain(roomName).Leave(ClientId);
        if (wasMember)
        {
            await _state.WriteStateAsync();
        }
    }

    public async Task SetMetadata(string key, string? value)
    {
        _lastActivity = _time.GetUtcNow();

        // Copy on write: a handler still running holds the previous dictionary.
        var metadata = new Dictionary<string, string>(State.Metadata, StringComparer.Ordinal);
        if (value is null)
        {
            metadata.Remove(key);
        }
        else
        {
            metadata[key] = value;
        }

        State.Metadata = metadata;
        await _state.WriteStateAsync();
    }

    public Task<HandlerReply> Handle(InboundMessage message)
    {
        if (!State.Connected)
        {
            return Task.FromResult(HandlerReply.Fail(ErrorCodes.Unauthorized, "The connection is not registered"));
        }

        _lastActivity = _time.GetUtcNow();
        var metadata = State.Metadata.Count == 0 ? s_noMetadata : State.Metadata;
        return _dispatcher.Dispatch(ClientId, State.UserId, metadata, message);
    }

    public Task<ClientInfo?> GetInfo()
        => Task.FromResult(State.Connected
            ? new ClientInfo(ClientId, State.UserId, State.GatewayId, State.Path, State.Metadata, [.. State.Rooms], State.ConnectedAt, _lastActivity)
            : null);

    public Task<string?> GetGateway() => Task.FromResult(State.Connected ? State.GatewayId : null);

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

    private async Task LeaveQuietly(string roomName)
    {
        try
        {
            await GrainFactory.GetRoomGrain(roomName).Leave(ClientId);
        }
        catch (Exception exception)
        {
            LogLeaveFailed(exception, ClientId, roomName);
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Client {ClientId} could not leave room {Room}.")]
    private partial void LogLeaveFailed(Exception exception, string clientId, string room);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Client {ClientId} could not leave the presence of user {UserId}.")]
    private partial void LogPresenceRemoveFailed(Exception exception, string clientId, string userId);
}
