using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Realtime.Grains.Streaming;

/// <summary>
/// The push-based persistent stream provider: events stay objects in one bounded channel per queue
/// on the silo that reads the queue, read by a long poll (no polling interval), cached without
/// rewind. On a silo, a produce is a channel write or one hop; on a client, one hop to the silo it
/// is connected to, which routes it on.
/// </summary>
public sealed class RealtimeQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapter
{
    internal const string QueuePrefix = "realtime";

    private readonly RealtimeQueues _queues;
    private readonly QueueRouter? _router;
    private readonly IGrainFactory _grains;
    private readonly RealtimeQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly IStreamFailureHandler _failureHandler = new NoOpStreamDeliveryFailureHandler();

    private RealtimeQueueAdapterFactory(string name, IServiceProvider services)
    {
        Name = name;
        _queues = services.GetRequiredService<RealtimeQueues>();
        _router = services.GetService<QueueRouter>();
        _grains = services.GetRequiredService<IGrainFactory>();
        _options = services.GetRequiredService<IOptions<RealtimeQueueOptions>>().Value;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _loggerFactory = services.GetRequiredService<ILoggerFactory>();
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = _options.CacheSize }, name, _loggerFactory);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool IsRewindable => false;

    /// <inheritdoc />
    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    /// <summary>The factory Orleans calls, on silos and clients.</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new RealtimeQueueAdapterFactory(name, services);

    /// <inheritdoc />
    [Obsolete("Orleans calls the overload with a token.")]
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(this);

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _queues.Mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failureHandler);

    /// <inheritdoc />
    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("The realtime stream provider does not take sequence tokens from producers.", nameof(token));
        }

        var item = new RealtimeBatchContainer(streamId, [.. events.Cast<object>()], requestContext);
        return _router is not null
            ? _router.Send(item, copied: false)
            : _grains.GetGrain<IQueueIngressGrain>(0).Enqueue(item);
    }

    /// <inheritdoc />
    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
        => new QueueReceiver(queueId, _queues, _options, _time, _loggerFactory.CreateLogger<QueueReceiver>());
}
