using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Registry;

namespace Realtime.Grains.Registry;

/// <summary>
/// The cluster's gateways and their leases. Every <see cref="GatewayRegistryOptions.ReapInterval"/> it
/// unregisters the connections of gateways whose lease ran out (a gateway that died without a
/// goodbye), as if each had closed. Gateways renewing their leases keep it active.
/// </summary>
internal sealed partial class GatewayRegistryGrain(
    [PersistentState("gateways", RealtimeStorage.Name)] IPersistentState<GatewayRegistryState> state,
    IOptions<GatewayRegistryOptions> options,
    [FromKeyedServices(RealtimeClock.Key)] TimeProvider time,
    ILogger<GatewayRegistryGrain> logger)
    : Grain, IGatewayRegistryGrain
{
    private const int ReapedKept = 100;
    private bool _reaping;

    private Dictionary<string, GatewayLease> Gateways => state.State.Gateways;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Interleaves: renewals must not wait behind the reaping of a large gateway.
        this.RegisterGrainTimer(
            static (grain, _) => grain.ReapExpired(),
            this,
            new GrainTimerCreationOptions(options.Value.ReapInterval, options.Value.ReapInterval) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<bool> Renew(string gatewayId, TimeSpan leaseTime)
    {
        if (state.State.Reaped.Contains(gatewayId))
        {
            return false;
        }

        Gateways[gatewayId] = new GatewayLease(gatewayId, time.GetUtcNow() + leaseTime);
        await state.WriteStateAsync();
        return true;
    }

    public async Task Unregister(string gatewayId)
    {
        if (Gateways.Remove(gatewayId))
        {
            await state.WriteStateAsync();
        }

        // A gateway that said goodbye unregistered its sessions itself; anything left over goes now.
        await GrainFactory.GetGatewayConnections(gatewayId).Reap();
    }

    public Task<GatewayLease[]> GetGateways()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(Gateways.Values.Where(g => g.ExpiresAt > now).ToArray());
    }

    private async Task ReapExpired()
    {
        if (_reaping)
        {
            return;
        }

        _reaping = true;
        try
        {
            var now = time.GetUtcNow();
            foreach (var lease in Gateways.Values.Where(g => g.ExpiresAt <= now).ToList())
            {
                LogLeaseExpired(lease.GatewayId, lease.ExpiresAt);
                await GrainFactory.GetGatewayConnections(lease.GatewayId).Reap();

                // Renewed while being reaped? Its connections are gone all the same: it must close them.
                Gateways.Remove(lease.GatewayId);
                state.State.Reaped.Add(lease.GatewayId);
                if (state.State.Reaped.Count > ReapedKept)
                {
                    state.State.Reaped.RemoveAt(0);
                }

                await state.WriteStateAsync();
            }
        }
        catch (Exception exception)
        {
            LogReapFailed(exception);
        }
        finally
        {
            _reaping = false;
        }
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "The lease of gateway {GatewayId} ran out at {ExpiresAt}: unregistering its connections.")]
    private partial void LogLeaseExpired(string gatewayId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Reaping expired gateways failed; trying again at the next interval.")]
    private partial void LogReapFailed(Exception exception);
}
