using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Realtime.Grains.Streaming;

/// <summary>
/// Reads one queue for the pulling agent as a long poll: what is there at once, else the first item
/// to arrive, else an empty batch after <see cref="RealtimeQueueOptions.ReadWait"/>, so the agent
/// reads again the moment an item is produced and an idle queue costs one wake-up per wait.
/// Sequence numbers are given at read time (one reader per queue) and grow across readers.
/// </summary>
internal sealed partial class QueueReceiver(
    QueueId queue,
    RealtimeQueues queues,
    RealtimeQueueOptions options,
    TimeProvider time,
    ILogger logger) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Empty = Array.Empty<IBatchContainer>();

    // Starts above anything an earlier reader of this queue in this process handed out, so
    // consumers never see numbers go backwards when the queue comes back to this silo.
    private long _next = time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    [Obsolete("The agent calls the overload with a token.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var limit = maxCount <= 0 ? options.MaxReadBatch : Math.Min(maxCount, options.MaxReadBatch);
        var reader = queues.Reader(queue);
        var batch = Drain(reader, limit);
        if (batch is not null)
        {
            return batch;
        }

        using var idle = new CancellationTokenSource(options.ReadWait, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            if (!await reader.WaitToReadAsync(wait.Token))
            {
                // The channel was completed: the queue was dropped (shutdown, or the queue moved away).
                return Empty;
            }
        }
        catch (OperationCanceledException)
        {
            // Idle for the whole wait, or shutting down: an empty read, never an error.
            return Empty;
        }

        return Drain(reader, limit) ?? Empty;
    }

    [Obsolete("The agent calls the overload with a token.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout)
    {
        // Completing the queue's channel also ends a read that is waiting on it.
        var dropped = queues.Drop(queue);
        if (dropped > 0)
        {
            LogDropped(logger, queue.ToString(), dropped);
        }

        return Task.CompletedTask;
    }

    private List<IBatchContainer>? Drain(System.Threading.Channels.ChannelReader<RealtimeBatchContainer> reader, int limit)
    {
        List<IBatchContainer>? batch = null;
        while ((batch?.Count ?? 0) < limit)
        {
            if (!reader.TryRead(out var item))
            {
                break;
            }

            item.Token = new EventSequenceTokenV2(_next++);
            (batch ??= new List<IBatchContainer>(Math.Min(limit, 32))).Add(item);
        }

        return batch;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Stream queue {Queue} stopped being read here with {Count} items unread; consumers see the gap and repair it.")]
    private static partial void LogDropped(ILogger logger, string queue, int count);
}
