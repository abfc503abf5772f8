using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Realtime.Grains.Rooms;
using Realtime.Grains.Users;
using Realtime.Rooms;
using Realtime.Delivery;
using Realtime.Events;
using Realtime.Grains.Events;
using Realtime.Presence;

namespace Realtime.Grains.Presence;

/// <summary>
/// A user's connections across gateways, the user's online state with its hooks, and the user's room
/// (<c>UserPresenceGrain.Room.cs</c>). Not reentrant: adds, removes, publishes and hooks happen one
/// at a time, in order; only joins of the user's room interleave (they write nothing).
/// </summary>
internal sealed partial class UserPresenceGrain(
    [PersistentState("presence", RealtimeStorage.Name)] IPersistentState<UserPresenceGrainState> state,
    [FromKeyedServices(RealtimeStorage.Name)] IGrainStorage storage,
    IEnumerable<IPresenceHooks> hooks,
    Lifecycle lifecycle,
    IOptions<PresenceOptions> options,
    IOptions<RoomOptions> rooms,
    IOptions<UserRoomOptions> users,
    [FromKeyedServices(RealtimeClock.Key)] TimeProvider time,
    SiloShutdown shutdown,
    Diagnostics.GrainMetrics metrics,
    ILogger<UserPresenceGrain> logger)
    : Grain, IUserPresenceGrain, IRoomGrain
{
    /// <summary>Whether this activation counts its user in <c>realtime.users.online</c>.</summary>
    private bool _countedOnline;

    private readonly IPresenceHooks[] _hooks = [.. hooks];
    private readonly PresenceOptions _options = options.Value;
    private IGrainTimer? _grace;

    private Dictionary<string, UserConnection> Connections => state.State.Connections;

    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A silo died during a grace period: start it again.
        if (state.State.Online && Connections.Count == 0)
        {
            StartGracePeriod();
        }

        CountOnline();
        ActivateRoom();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The next activation, wherever it is, counts the user again.
        if (_countedOnline)
        {
            _countedOnline = false;
            metrics.OnlineUsers(-1);
        }

        await DeactivateRoom(reason, cancellationToken);
    }

    private void CountOnline()
    {
        if (_countedOnline != state.State.Online)
        {
            _countedOnline = state.State.Online;
            metrics.OnlineUsers(_countedOnline ? 1 : -1);
        }
    }

    public async Task<bool> AddConnection(UserConnection connection) => (await Connect(connection, inUserRoom: false)).Accepted;

    public async Task<UserConnectResult> Connect(UserConnection connection, bool inUserRoom)
    {
        if (Connections.TryGetValue(connection.ClientId, out var known))
        {
            if (known.GatewayId != connection.GatewayId)
            {
                // A resumed session, now on another gateway.
                Connections[connection.ClientId] = known with { GatewayId = connection.GatewayId };
                await Save();
                await ShareBudget();
            }

            return new UserConnectResult(true, inUserRoom ? RoomPosition() : null);
        }

        if (_options.MaxConnectionsPerUser > 0 && Connections.Count >= _options.MaxConnectionsPerUser)
        {
            return new UserConnectResult(false);
        }

        Connections[connection.ClientId] = connection;
        _grace?.Dispose();
        _grace = null;
        var cameOnline = !state.State.Online;
        state.State.Online = true;
        CountOnline();

        // The connection is a member of the user's room from here: its epoch is written with it.
        EnsureEpoch();
        await Save();
        var joined = inUserRoom ? RoomPosition() : null;
        await ShareBudget();
        if (cameOnline)
        {
            await lifecycle.PublishAsync(this, RealtimeEventChannels.UserOnline, new UserEventPayload(UserId));
            await RunHooks(static (hook, user, token) => hook.OnOnlineAsync(user, token), "online");
        }

        return new UserConnectResult(true, joined);
    }

    public async Task<bool> RemoveConnection(string clientId)
    {
        if (!Connections.Remove(clientId))
        {
            return false;
        }

        if (Connections.Count > 0)
        {
            await Save();
            await ShareBudget();
        }
        else if (_options.OfflineGracePeriod == TimeSpan.Zero)
        {
            await GoOffline();
        }
        else
        {
            await Save();
            StartGracePeriod();
        }

        return true;
    }

    /// <summary>Tells each gateway holding the user's connections (all at once) their equal share of the user's budget.</summary>
    private async Task ShareBudget()
    {
        if (Connections.Count == 0 || (_options.UserRateLimitPerSecond == 0 && _options.UserRateLimitBytesPerSecond == 0))
        {
            return;
        }

        var frames = _options.UserRateLimitPerSecond / Connections.Count;
        var bytes = _options.UserRateLimitBytesPerSecond / Connections.Count;
        var streams = this.GetStreamProvider(RealtimeStreams.ProviderName);
        await Task.WhenAll(Connections.Values.GroupBy(c => c.GatewayId, StringComparer.Ordinal).Select(async gateway =>
        {
            try
            {
                await streams.GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gateway.Key))
                    .OnNextAsync(new UserRateShare([.. gateway.Select(c => c.ClientId)], frames, bytes));
            }
            catch (Exception exception)
            {
                // The connections keep their previous share (or their own limit) until the next change.
                LogShareFailed(exception, UserId, gateway.Key);
            }
        }));
    }

    public Task<UserConnection[]> GetConnections() => Task.FromResult(Connections.Values.ToArray());

    public Task<bool> IsOnline() => Task.FromResult(state.State.Online);

    private void StartGracePeriod()
        => _grace ??= this.RegisterGrainTimer(
            static (grain, _) => grain.OnGraceOver(),
            this,
            new GrainTimerCreationOptions(_options.OfflineGracePeriod, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    private async Task OnGraceOver()
    {
        _grace?.Dispose();
        _grace = null;
        if (Connections.Count == 0 && state.State.Online)
        {
            await GoOffline();
        }
    }

    private async Task GoOffline()
    {
        state.State.Online = false;
        CountOnline();
        await SaveOffline();
        await lifecycle.PublishAsync(this, RealtimeEventChannels.UserOffline, new UserEventPayload(UserId));
        await RunHooks(static (hook, user, token) => hook.OnOfflineAsync(user, token), "offline");
        DeactivateOnIdle();
    }

    private async Task RunHooks(Func<IPresenceHooks, string, CancellationToken, Task> run, string what)
    {
        foreach (var hook in _hooks)
        {
            using var cancellation = new CancellationTokenSource(_options.HookTimeout);
            try
            {
                await run(hook, UserId, cancellation.Token).WaitAsync(_options.HookTimeout);
            }
            catch (Exception exception)
            {
                LogHookFailed(exception, what, hook.GetType().Name, UserId);
            }
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "User {UserId}'s budget share could not be sent to gateway {GatewayId}.")]
    private partial void LogShareFailed(Exception exception, string userId, string gatewayId);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Error, Message = "The {What} hook {Hook} failed for user {UserId}.")]
    private partial void LogHookFailed(Exception exception, string what, string hook, string userId);
}
