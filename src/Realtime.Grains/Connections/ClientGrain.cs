using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Grains.Events;
using Realtime.Grains.Handlers;
using Realtime.Grains.Rooms;
using Realtime.Presence;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Connections;

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
    private readonly Lifecycle _lifecycle;
    private readonly AppHooks _hooks;
    private readonly ClientOptions _options;
    private readonly RoomOptions _rooms;
    private readonly Users.UserRoomOptions _users;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientGrain> _logger;
    private DateTimeOffset _lastActivity;
    private ClaimsPrincipal? _user;

    public ClientGrain(
        [PersistentState("client", RealtimeStorage.Name)] IPersistentState<ClientGrainState> state,
        HandlerDispatcher dispatcher,
        RoomAccessControl access,
        Lifecycle lifecycle,
        AppHooks hooks,
        IOptions<ClientOptions> options,
        IOptions<RoomOptions> rooms,
        IOptions<Users.UserRoomOptions> users,
        [FromKeyedServices(RealtimeClock.Key)] TimeProvider time,
        ILogger<ClientGrain> logger)
    {
        _state = state;
        _dispatcher = dispatcher;
        _access = access;
        _lifecycle = lifecycle;
        _hooks = hooks;
        _options = options.Value;
        _rooms = rooms.Value;
        _users = users.Value;
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

        // A session that was waiting for a resume when its grain went (its silo died, say) waits on.
        if (State.Connected && State.DroppedAt is { } dropped)
        {
            StartResumeWindow(dropped);
        }

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
        State.ResumeHash = registration.ResumeHash;
        State.Attachment = 1;
        State.DroppedAt = null;
        _user = null;
        _lastActivity = _time.GetUtcNow();

        // In its user's room from the start (the user's presence grain is that room): pushes to the
        // user are that room's, and recoverable.
        RoomJoinResult? userRoom = null;
        if (registration.UserId is { } userId)
        {
            var connection = new UserConnection(ClientId, registration.GatewayId, registration.ConnectedAt);
            var added = await GrainFactory.GetUserPresenceGrain(userId).Connect(connection, inUserRoom: _users.Rooms);
            if (!added.Accepted)
            {
                _state.State = new ClientGrainState();
                DeactivateOnIdle();
                return new ConnectResult(false, CloseCodes.PolicyViolation, "too many connections");
            }

            if (added.UserRoom is { } joined)
            {
                var name = RoomNames.ForUser(userId);
                userRoom = joined;
                State.Rooms.Add(name);
                State.ServerRooms.Add(name);
            }
        }

        // Listed under its gateway before the gateway hears back: if the gateway dies from here on,
        // the connection is unregistered (and leaves its user and rooms) when its lease runs out.
        await GrainFactory.GetGatewayConnections(registration.GatewayId).Update([ClientId], []);

        await _state.WriteStateAsync();
        await Connected();
        if (userRoom is { Ok: true })
        {
            // As any room: the leave that ends the connection has its join.
            await JoinedRoom(RoomNames.ForUser(registration.UserId!));
        }

        return new ConnectResult(true, UserRoom: userRoom is { Ok: true } ? userRoom : null, Attachment: State.Attachment);
    }

    public async Task UpdateClaims(UserClaim[] claims)
    {
        State.Claims = [.. claims];
        _user = null;
        await _state.WriteStateAsync();
        await RecheckRooms();
    }

    public async Task Disconnect()
    {
        StopResumeWindow();
        var info = await GetInfo();
        if (State.Connected)
        {
            var leaves = new List<Task>(State.Rooms.Count + 1);
            foreach (var room in State.Rooms)
            {
                // The user's room is left with the user's presence, below.
                if (State.UserId is null || RoomNames.UserOf(room) != State.UserId)
                {
                    leaves.Add(LeaveQuietly(room));
                }
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
        if (info is not null)
        {
            await Disconnected(info, info.Rooms);
        }
    }

    public async Task<ClientMetadataChange> SetMetadata(string key, string? value)
    {
        _lastActivity = _time.GetUtcNow();
        await ApplyMetadata(new Dictionary<string, string?> { [key] = value });
        return MetadataChange();
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
            .OnNextAsync(MetadataChange());
    }

    private ClientMetadataChange MetadataChange() => new(ClientId, State.Metadata, State.MetadataVersion);

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
        State.MetadataVersion++;
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
        return Handled(message);
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

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Client {ClientId} could not leave room {Room}.")]
    private partial void LogLeaveFailed(Exception exception, string clientId, string room);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Client {ClientId} could not be taken off the list of gateway {GatewayId}.")]
    private partial void LogUnlistFailed(Exception exception, string clientId, string gatewayId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Client {ClientId} could not leave the presence of user {UserId}.")]
    private partial void LogPresenceRemoveFailed(Exception exception, string clientId, string userId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Client {ClientId} left room {Room} after a token refresh: {Reason}")]
    private partial void LogRoomLeftAfterRefresh(string clientId, string room, string reason);
}
