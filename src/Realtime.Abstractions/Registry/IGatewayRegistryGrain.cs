using Orleans.Concurrency;

namespace Realtime.Registry;

/// <summary>
/// The cluster's list of live gateways. Each gateway holds a lease it renews; a gateway whose lease
/// ran out is no longer sent to.
/// </summary>
[Alias("realtime.IGatewayRegistryGrain")]
public interface IGatewayRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Registers or renews a gateway's lease for <paramref name="leaseTime"/>. False when the
    /// gateway's lease had run out and its connections were unregistered: the gateway must close them.
    /// </summary>
    [Alias("Renew")]
    Task<bool> Renew(string gatewayId, TimeSpan leaseTime);

    /// <summary>Removes a gateway that is stopping.</summary>
    [Alias("Unregister")]
    Task Unregister(string gatewayId);

    /// <summary>The gateways whose lease has not run out.</summary>
    [ReadOnly, Alias("GetGateways")]
    Task<GatewayLease[]> GetGateways();
}
