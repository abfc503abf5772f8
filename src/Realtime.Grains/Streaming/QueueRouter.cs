using Orleans.Serialization;
using Orleans.Streams;

namespace Realtime.Grains.Streaming;

/// <summary>
/// A silo's produce path: an item for a queue this silo reads goes into its channel (no grain call,
/// the producer's turn does not wait on anything remote); an item for a queue another silo reads
/// takes one hop, to that silo's <see cref="IQueueOwnerGrain"/>.
/// </summary>
internal sealed class QueueRouter(
    RealtimeQueues queues,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    DeepCopier copier)
{
    private Owners _owners = new(MembershipVersion.MinValue, []);

    /// <summary>
    /// Sends <paramref name="item"/> to the silo that reads its queue. Unless <paramref name="copied"/>
    /// (it arrived through serialisation), a local write copies the events in the container's own
    /// list first, so the producer's objects are never shared (a no-op for immutable ones).
    /// </summary>
    public Task Send(RealtimeBatchContainer item, bool copied)
    {
        var queue = queues.Mapper.GetQueueForStream(item.StreamId);
        var owner = OwnerOf(queue);
        if (owner is null || owner.Equals(localSilo.SiloAddress))
        {
            if (!copied)
            {
                for (var i = 0; i < item.Events.Count; i++)
                {
                    item.Events[i] = copier.Copy(item.Events[i]);
                }
            }

            queues.Write(queue, item);
            return Task.CompletedTask;
        }

        return grains.GetGrain<IQueueOwnerGrain>(owner.ToParsableString()).Enqueue(item);
    }

    /// <summary>The silo that reads <paramref name="queue"/> in this silo's view of the membership.</summary>
    public SiloAddress? OwnerOf(QueueId queue)
    {
        var snapshot = membership.CurrentSnapshot;
        var owners = _owners;
        if (owners.Version != snapshot.Version)
        {
            var active = snapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress).ToArray();
            owners = new Owners(snapshot.Version, [.. queues.Queues.Select(q => QueueOwners.Owner(q, active))]);
            _owners = owners;
        }

        return owners.ByQueue.Length == 0 ? null : owners.ByQueue[queue.GetNumericId()];
    }

    private sealed record Owners(MembershipVersion Version, SiloAddress?[] ByQueue);
}
