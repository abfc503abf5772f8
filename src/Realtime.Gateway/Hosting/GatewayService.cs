using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Auth;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Delivery;
using Realtime.Protocol;

namespace Realtime.Gateway.Hosting;

/// <summary>
/// The gateway's life in the cluster: registers its lease and subscribes to its stream before it
/// accepts a socket; renews the lease, pings idle connections and closes inactive ones while it
/// runs; on stop, closes every socket with 1001, waits for the sessions to unregister, and leaves.
/// </summary>
internal sealed partial class GatewayService(
    IGatewayCluster cluster,
    GatewayIdentity gateway,
    GatewayState state,
    ConnectionTable connections,
    GatewayStreamConsumer consumer,
    IHostApplicationLifetime lifetime,
    IOptions<RealtimeGatewayOptions> options,
    IOptions<RealtimeAuthOptions> auth,
    [FromKeyedServices(RealtimeClock.Key)] TimeProvider time,
    ILogger<GatewayService> logger) : IHostedService, IAsyncDisposable
{
    private static readonly byte[] PingFrame = ServerFrames.Ping.ToArray();

    /// <summary>How long the gateway's stream must be still before the gateway unsubscribes on its way out, and the longest it waits for that.</summary>
    private static readonly TimeSpan s_streamQuiet = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_streamQuietAtMost = TimeSpan.FromSeconds(2);

    private readonly RealtimeGatewayOptions _options = options.Value;
    private readonly RealtimeAuthOptions _auth = auth.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private IAsyncDisposable? _subscription;
    private CancellationTokenRegistration _onStopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RegisterWhenTheClusterAnswers(cancellationToken);
        _onStopping = lifetime.ApplicationStopping.Register(CloseAll);
        _loops.Add(RenewLeaseLoop(_stopping.Token));
        _loops.Add(HeartbeatLoop(_stopping.Token));
        _loops.Add(StallLoop(_stopping.Token));
        if (_options.DisconnectInactiveClients)
        {
            _loops.Add(InactivityLoop(_stopping.Token));
        }

        if (_auth.TokensEnabled)
        {
            _loops.Add(TokenExpiryLoop(_stopping.Token));
        }

        state.Waiting = null;
        state.Accepting = true;
        LogStarted(gateway.Id);
    }

    /// <summary>
    /// The cluster may not answer yet (its silos are starting, or the embedded silo starts beside this
    /// service while Kestrel already listens): tries again with back-off, and says every few seconds,
    /// in the log and on <c>/health/ready</c>, what it is waiting for.
    /// </summary>
    private async Task RegisterWhenTheClusterAnswers(CancellationToken cancellationToken)
    {
        var began = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        var nextLog = TimeSpan.FromSeconds(3);
        while (true)
        {
            try
            {
                await Register();
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // An Orleans client that is not connected yet knows no grain types.
                var reason = exception is ArgumentException && exception.Message.StartsWith("Could not find an implementation", StringComparison.Ordinal)
                    ? "no silo has answered yet" : $"{exception.GetType().Name}: {exception.Message}";
                state.Waiting = "Waiting for the cluster: " + reason;
                var waited = time.GetElapsedTime(began);
                if (waited >= nextLog)
                {
                    LogWaitingForCluster(waited.TotalSeconds, reason);
                    nextLog = waited + TimeSpan.FromSeconds(5);
                }
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    /// <summary>Takes a lease, subscribes to the gateway's stream and lists what it holds (nothing, at first).</summary>
    private async Task Register()
    {
        while (!await cluster.RenewLeaseAsync(gateway.Id, _options.LeaseTime))
        {
            gateway.Renew();
        }

        // A retry after a failed listing keeps the subscription it already has.
        _subscription ??= await cluster.SubscribeAsync(gateway.Id, consumer.OnNextAsync);
        await cluster.ListConnectionsAsync(gateway.Id, [.. connections.All.Select(c => c.ClientId)]);
    }

    /// <summary>
    /// The cluster gave this gateway up (its lease ran out, its connections were unregistered):
    /// close every socket so clients reconnect, and register again under a new id.
    /// </summary>
    private async Task Reregister()
    {
        LogGivenUp(gateway.Id);
        foreach (var connection in connections.All)
        {
            connection.Close(CloseCodes.TryAgainLater, "gateway re-registering", flush: false);
        }

        if (_subscription is not null)
        {
            try
            {
                await _subscription.DisposeAsync();
            }
            catch (Exception exception)
            {
                LogLeaveFailed(exception, gateway.Id);
            }

            _subscription = null;
        }

        gateway.Renew();
        await Register();
        LogStarted(gateway.Id);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CloseAll();
        try
        {
            await state.WhenDrained().WaitAsync(_options.CloseTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            LogDrainIncomplete(state.Sessions);
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_loops);
        try
        {
            if (_subscription is not null)
            {
                await consumer.WhenQuietAsync(s_streamQuiet, s_streamQuietAtMost, cancellationToken);
                await _subscription.DisposeAsync();
                _subscription = null;
            }

            await cluster.ReleaseLeaseAsync(gateway.Id);
        }
        catch (Exception exception)
        {
            LogLeaveFailed(exception, gateway.Id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _onStopping.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Stops accepting and asks every socket to reconnect elsewhere.</summary>
    private void CloseAll()
    {
        state.Accepting = false;
        foreach (var connection in connections.All)
        {
            connection.Close(CloseCodes.GoingAway, "server shutting down", flush: true);
        }
    }

    private async Task RenewLeaseLoop(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.LeaseTime / 3);
        while (await Tick(timer, cancellationToken))
        {
            try
            {
                if (!await cluster.RenewLeaseAsync(gateway.Id, _options.LeaseTime))
                {
                    await Reregister();
                }
                else if (await cluster.CountListedConnectionsAsync(gateway.Id) < connections.Count)
                {
                    // The list lost entries (its silo died before writing them): list everything again.
                    await cluster.ListConnectionsAsync(gateway.Id, [.. connections.All.Select(c => c.ClientId)]);
                }
            }
            catch (Exception exception)
            {
                LogRenewFailed(exception, gateway.Id);
            }
        }
    }

    /// <summary>Pings every connection that was sent nothing for most of the heartbeat interval.</summary>
    private async Task HeartbeatLoop(CancellationToken cancellationToken)
    {
        var interval = (long)_options.HeartbeatInterval.TotalMilliseconds;
        using var timer = new PeriodicTimer(_options.HeartbeatInterval / 5);
        while (await Tick(timer, cancellationToken))
        {
            var idleSince = Environment.TickCount64 - (interval * 4 / 5);
            foreach (var connection in connections.All)
            {
                if (connection.LastSentMs <= idleSince && !connection.Wire.IsRaw())
                {
                    connection.Send(PingFrame);
                }
            }
        }
    }

    /// <summary>
    /// Closes with 4000 every connection that sent nothing for the inactive time. Not a raw endpoint's:
    /// its clients are not pinged (the socket's own ping and pong find peers that vanished).
    /// </summary>
    private async Task InactivityLoop(CancellationToken cancellationToken)
    {
        var inactive = (long)_options.InactiveTime.TotalMilliseconds;
        using var timer = new PeriodicTimer(_options.InactiveCheckInterval);
        while (await Tick(timer, cancellationToken))
        {
            var activeSince = Environment.TickCount64 - inactive;
            foreach (var connection in connections.All)
            {
                if (connection.LastReceivedMs < activeSince && !connection.Wire.IsRaw())
                {
                    LogInactive(connection.ClientId);
                    connection.Close(CloseCodes.Inactive, "inactive", flush: true);
                }
            }
        }
    }

    /// <summary>Closes with 4001 every connection past its queue cap whose socket took nothing for the stall timeout.</summary>
    private async Task StallLoop(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await Tick(timer, cancellationToken))
        {
            var now = Environment.TickCount64;
            foreach (var connection in connections.All)
            {
                if (connection.IsStalled(now))
                {
                    LogStalled(connection.ClientId, connection.QueuedBytes);
                    connection.Close(CloseCodes.SlowConsumer, "send queue overflow", flush: false);
                }
            }
        }
    }

    /// <summary>Closes with 1008 every connection whose token ran out (past the clock skew) without a refresh.</summary>
    private async Task TokenExpiryLoop(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await Tick(timer, cancellationToken))
        {
            var expiredBefore = time.GetUtcNow() - _auth.ClockSkew;
            foreach (var connection in connections.All)
            {
                if (connection.TokenExpiresAt is { } expires && expires < expiredBefore)
                {
                    LogTokenExpired(connection.ClientId);
                    connection.Close(CloseCodes.PolicyViolation, "token expired", flush: true);
                }
            }
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2308, Level = LogLevel.Information, Message = "Not accepting connections yet: waiting {Seconds:0} s for the cluster to answer ({Reason}).")]
    private partial void LogWaitingForCluster(double seconds, string reason);

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Gateway {GatewayId} is registered and subscribed to its stream.")]
    private partial void LogStarted(string gatewayId);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Gateway {GatewayId} could not renew its lease.")]
    private partial void LogRenewFailed(Exception exception, string gatewayId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Gateway stopped with {Sessions} sessions still closing.")]
    private partial void LogDrainIncomplete(int sessions);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Gateway {GatewayId} could not unsubscribe or unregister.")]
    private partial void LogLeaveFailed(Exception exception, string gatewayId);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Warning, Message = "The cluster gave gateway {GatewayId} up (its lease ran out): closing its sockets and registering again.")]
    private partial void LogGivenUp(string gatewayId);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Debug, Message = "Client {ClientId}'s token expired; closing with 1008.")]
    private partial void LogTokenExpired(string clientId);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Debug, Message = "Client {ClientId} took nothing of its {Queued} queued bytes for the stall timeout; closing with 4001.")]
    private partial void LogStalled(string clientId, long queued);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Debug, Message = "Client {ClientId} was inactive; closing with 4000.")]
    private partial void LogInactive(string clientId);
}
