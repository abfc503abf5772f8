using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Realtime.Grains.Streaming;

/// <summary>
/// One produce: the events as objects (no inner body serialisation), the producer's request context,
/// and the sequence token the queue's reader gives it when it reads it.
/// </summary>
[GenerateSerializer, Alias("realtime.RealtimeBatchContainer")]
public sealed class RealtimeBatchContainer : IBatchContainer
{
    /// <summary>Creates a container for <paramref name="events"/> on <paramref name="streamId"/>.</summary>
    public RealtimeBatchContainer(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext)
    {
        StreamId = streamId;
        Events = events;
        RequestContext = requestContext;
    }

    /// <inheritdoc />
    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The events, in the order they were produced.</summary>
    [Id(1)]
    public List<object> Events { get; }

    /// <summary>The producer's request context, if it had one.</summary>
    [Id(2)]
    public Dictionary<string, object>? RequestContext { get; }

    /// <summary>Set once, by the queue's reader.</summary>
    [Id(3)]
    public EventSequenceTokenV2? Token { get; set; }

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => Token ?? throw new InvalidOperationException("The container has not been read from its queue yet.");

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var token = SequenceToken as EventSequenceTokenV2 ?? throw new InvalidOperationException("No sequence token.");
        for (var i = 0; i < Events.Count; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, token.CreateSequenceTokenForEvent(i));
            }
        }
    }

    /// <inheritdoc />
    public bool ImportRequestContext()
    {
        if (RequestContext is null)
        {
            return false;
        }

        RequestContextExtensions.Import(RequestContext);
        return true;
    }
}
