using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Realtime.Grains.Streaming;

/// <summary>
/// The one hop of a produce to the silo that reads the item's queue. Keyed by that silo's address
/// (<see cref="SiloAddress.ToParsableString"/>) and placed on it, never elsewhere: when the silo is
/// gone, the call fails, and the item is lost as it would have been in the silo's queue.
/// </summary>
public interface IQueueOwnerGrain : IGrainWithStringKey
{
    /// <summary>Writes <paramref name="item"/> to its queue on this silo.</summary>
    [AlwaysInterleave]
    Task Enqueue(RealtimeBatchContainer item);
}

/// <summary>A client's produce: the silo the client is connected to routes it (then at most one more hop).</summary>
public interface IQueueIngressGrain : IGrainWithIntegerKey
{
    /// <summary>Routes <paramref name="item"/> to the silo that reads its queue.</summary>
    Task Enqueue(RealtimeBatchContainer item);
}

[Reentrant, QueueOwnerPlacement]
internal sealed class QueueOwnerGrain(RealtimeQueues queues) : Grain, IQueueOwnerGrain
{
    public Task Enqueue(RealtimeBatchContainer item)
    {
        // The item arrived through serialisation: it is this silo's own copy already.
        queues.Write(item);
        return Task.CompletedTask;
    }
}

[StatelessWorker, Reentrant]
internal sealed class QueueIngressGrain(QueueRouter router) : Grain, IQueueIngressGrain
{
    public Task Enqueue(RealtimeBatchContainer item) => router.Send(item, copied: true);
}

/// <summary>Places a grain on the silo its key names.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("realtime.QueueOwnerPlacement")]
public sealed class QueueOwnerPlacement : PlacementStrategy
{
    internal static readonly QueueOwnerPlacement Instance = new();
}

/// <summary>Marks a grain keyed by a silo address, placed on that silo.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class QueueOwnerPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public QueueOwnerPlacementAttribute()
        : base(QueueOwnerPlacement.Instance)
    {
    }
}

internal sealed class QueueOwnerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = SiloAddress.FromParsableString(key);
        if (!context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new SiloUnavailableException($"The silo {key} that reads this stream queue is not active; the item is not sent.");
        }

        return Task.FromResult(silo);
    }
}
