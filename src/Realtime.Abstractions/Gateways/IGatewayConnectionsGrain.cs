namespace Realtime.Gateways;

/// <summary>
/// The connections one gateway holds, keyed by gateway id: what must be unregistered if the gateway
/// dies without a goodbye. The gateway reports changes in batches.
/// </summary>
[Alias("realtime.IGatewayConnectionsGrain")]
public interface IGatewayConnectionsGrain : IGrainWithStringKey
{
    /// <summary>Applies a batch of connections opened and closed on the gateway.</summary>
    [Alias("Update")]
    Task Update(string[] added, string[] removed);

    /// <summary>Replaces the whole set (a gateway re-asserting what it holds).</summary>
    [Alias("Reset")]
    Task Reset(string[] clientIds);

    /// <summary>Unregisters every connection still listed (as if each had closed), then forgets the gateway.</summary>
    [Alias("Reap")]
    Task<int> Reap();

    /// <summary>How many connections are listed.</summary>
    [Alias("Count")]
    Task<int> Count();
}
