using Realtime.Hosting;

namespace Realtime.Gateways;

/// <summary>The cluster's gateways and their leases.</summary>
internal sealed class GatewayRegistryGrain(
    [PersistentState("gateways", RealtimeStorage.Name)] IPersistentState<GatewayRegistryState> state,
    TimeProvider time)
    : Grain, IGatewayRegistryGrain
{
    private Dictionary<string, GatewayLease> Gateways => state.State.Gateways;

    public async Task Renew(string gatewayId, TimeSpan leaseTime)
    {
        Gateways[gatewayId] = new GatewayLease(gatewayId, time.GetUtcNow() + leaseTime);
        await state.WriteStateAsync();
    }

    public async Task Unregister(string gatewayId)
    {
        if (Gateways.Remove(gatewayId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<GatewayLease[]> GetGateways()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(Gateways.Values.Where(g => g.ExpiresAt > now).ToArray());
    }
}
