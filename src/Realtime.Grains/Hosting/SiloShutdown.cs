using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Realtime.Grains;

/// <summary>
/// Whether a grain's state outlives the silo that is stopping. With the in-memory storage and no other
/// silo left, it does not: the storage goes with the process (its grains are already gone when the last
/// grains deactivate), so a save on the way out would only fail and log. Grains skip those saves.
/// </summary>
internal sealed class SiloShutdown(
    [FromKeyedServices(RealtimeStorage.Name)] IGrainStorage storage,
    IClusterMembershipService membership,
    ILocalSiloDetails silo)
{
    private readonly bool _inMemory = storage is MemoryGrainStorage;

    /// <summary>True when the silo is stopping, the storage is in memory and no other silo is active.</summary>
    public bool StateDiesWith(DeactivationReason reason)
        => reason.ReasonCode == DeactivationReasonCode.ShuttingDown && _inMemory && !OtherSiloActive();

    private bool OtherSiloActive()
        => membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress));
}
