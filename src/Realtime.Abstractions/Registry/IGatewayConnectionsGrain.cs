using Orleans.Concurrency;

namespace Realtime.Registry;

/// <summary>
/// The connections one gateway holds, keyed by gateway id: what must be unregistered if the gateway
/// dies without a goodbye. Each connection's grain adds itself when it registers and removes itself
/// when it unregisters.
/// </summary>
[Alias("realtime.IGatewayConnectionsGrain")]
public interface IGatewayConnectionsGrain : IGrainWithStringKey
{
    /// <summary>Applies connections opened and closed on the gateway. Interleaves: a reap unregisters connections, which call this.</summary>
    [AlwaysInterleave, Alias("Update")]
    Task Update(string[] added, string[] removed);

    /// <summary>Replaces the whole set (a gateway re-asserting what it holds).</summary>
    [Alias("Reset")]
    Task Reset(string[] clientIds);

    /// <summary>Unregisters every connection still listed (as if each had closed), then forgets the gateway.</summary>
    [Alias("Reap")]
    Task<int> Reap();

    /// <summary>How many connections are listed.</summary>
    [AlwaysInterleave, Alias("Count")]
    Task<int> Count();
}
