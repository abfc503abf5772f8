using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Realtime.Grains.Streaming;

/// <summary>
/// Gives this silo the queues <see cref="QueueOwners"/> names it the owner of among the active silos:
/// the same function producers use to send an item to its reader.
/// </summary>
internal sealed class QueueBalancer(IServiceProvider services, RealtimeQueues queues, ILogger<QueueBalancer> logger)
    : QueueBalancerBase(services, logger)
{
    private QueueId[] _mine = [];

    public override IEnumerable<QueueId> GetMyQueues() => Volatile.Read(ref _mine);

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        Volatile.Write(ref _mine, [.. queues.Queues.Where(queue => SiloAddress.Equals(QueueOwners.Owner(queue, activeSilos)))]);
        _ = NotifyListeners();
    }
}
