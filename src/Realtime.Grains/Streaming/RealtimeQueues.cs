using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Streams;

namespace Realtime.Grains.Streaming;

/// <summary>
/// The queues of this process: one bounded channel per queue, written by producers on this silo
/// (and by the one-hop forwards of producers elsewhere) and read by the pulling agent of the queue
/// while this silo owns it. On a client only the mapper is used.
/// </summary>
internal sealed class RealtimeQueues
{
    // Indexed by the queue's number (the mapper numbers its queues 0..QueueCount-1).
    private readonly Channel<RealtimeBatchContainer>[] _queues;
    private readonly int _capacity;

    public RealtimeQueues(IOptions<RealtimeQueueOptions> options)
    {
        var settings = options.Value;
        _capacity = settings.QueueCapacity;
        Mapper = new HashRingBasedStreamQueueMapper(
            new HashRingStreamQueueMapperOptions { TotalQueueCount = settings.QueueCount },
            RealtimeQueueAdapterFactory.QueuePrefix);
        Queues = [.. Mapper.GetAllQueues().OrderBy(queue => queue.GetNumericId())];
        _queues = new Channel<RealtimeBatchContainer>[Queues.Count];
        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i] = NewChannel();
        }
    }

    /// <summary>Which queue a stream lives on; the same function on every silo and client.</summary>
    public HashRingBasedStreamQueueMapper Mapper { get; }

    /// <summary>Every queue, in the mapper's order.</summary>
    public IReadOnlyList<QueueId> Queues { get; }

    /// <summary>Writes <paramref name="item"/> to its stream's queue in this process; a full queue is refused.</summary>
    public void Write(RealtimeBatchContainer item) => Write(Mapper.GetQueueForStream(item.StreamId), item);

    /// <summary>Writes <paramref name="item"/> to <paramref name="queue"/>, which the caller found for its stream.</summary>
    public void Write(QueueId queue, RealtimeBatchContainer item)
    {
        if (!Volatile.Read(ref Channel(queue)).Writer.TryWrite(item))
        {
            throw new RealtimeQueueFullException(
                $"Stream queue {queue} is full ({_capacity} items): the silo that reads it is not keeping up. The item for stream {item.StreamId} was not sent.");
        }
    }

    public ChannelReader<RealtimeBatchContainer> Reader(QueueId queue) => Volatile.Read(ref Channel(queue)).Reader;

    /// <summary>
    /// Forgets what <paramref name="queue"/> holds: its reader is gone (shutdown, or the queue moved to
    /// another silo), so what it held is lost, and consumers see the gap in their sequence numbers.
    /// </summary>
    public int Drop(QueueId queue)
    {
        var old = Interlocked.Exchange(ref Channel(queue), NewChannel());
        old.Writer.TryComplete();
        var dropped = 0;
        while (old.Reader.TryRead(out _))
        {
            dropped++;
        }

        return dropped;
    }

    private ref Channel<RealtimeBatchContainer> Channel(QueueId queue) => ref _queues[queue.GetNumericId()];

    private Channel<RealtimeBatchContainer> NewChannel() => System.Threading.Channels.Channel.CreateBounded<RealtimeBatchContainer>(
        new BoundedChannelOptions(_capacity) { SingleReader = false, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
}

/// <summary>
/// Which silo reads which queue: rendezvous hashing over the active silos, so any silo computes the
/// same owner from the same membership, and a silo joining or leaving moves only its share of queues.
/// </summary>
internal static class QueueOwners
{
    public static SiloAddress? Owner(QueueId queue, IReadOnlyCollection<SiloAddress> activeSilos)
    {
        SiloAddress? best = null;
        ulong bestScore = 0;
        foreach (var silo in activeSilos)
        {
            var score = Mix(((ulong)(uint)silo.GetConsistentHashCode() << 32) | queue.GetUniformHashCode());
            if (best is null || score > bestScore || (score == bestScore && silo.CompareTo(best) > 0))
            {
                best = silo;
                bestScore = score;
            }
        }

        return best;
    }

    // SplitMix64's finaliser: spreads the combined bits so each queue ranks the silos independently.
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9UL;
        value = (value ^ (value >> 27)) * 0x94d049bb133111ebUL;
        return value ^ (value >> 31);
    }
}
