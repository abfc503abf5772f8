using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Realtime.Delivery;
using Realtime.Grains.Streaming;

namespace Realtime.Grains;

/// <summary>Which stream provider carries the realtime streams (<c>Realtime:Streams:Provider</c>).</summary>
public enum RealtimeStreamTransport
{
    /// <summary>The push-based provider (<see cref="RealtimeQueueAdapterFactory"/>): the default.</summary>
    Queues,

    /// <summary>Orleans memory streams polled every 5 ms: kept for comparison.</summary>
    Memory,

    /// <summary>
    /// No stream provider at all: only for measuring what a silo costs without one (the benchmark's
    /// idle baseline). Nothing can be pushed; a gateway cannot subscribe.
    /// </summary>
    None,
}

/// <summary>
/// Adds the stream provider <see cref="RealtimeStreams.ProviderName"/> on silos and on their clients:
/// by default the push-based one (see <see cref="RealtimeQueueAdapterFactory"/>), or memory streams when
/// <c>Realtime:Streams:Provider</c> is <c>Memory</c>. Options bind from the <c>Realtime:Streams</c>
/// section (<see cref="RealtimeQueueOptions"/>). Silos and clients of one cluster must agree.
/// </summary>
public static class RealtimeStreamsBuilderExtensions
{
    /// <summary>
    /// The provider on a silo. The push-based one reads the queues <see cref="QueueOwners"/> gives this
    /// silo among the active silos, produces into its own queues without a grain call, and forwards the
    /// rest in one hop.
    /// </summary>
    public static ISiloBuilder AddRealtimeStreams(this ISiloBuilder builder, IConfiguration? section = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        section ??= builder.Configuration.GetSection("Realtime:Streams");
        switch (TransportOf(section))
        {
            case RealtimeStreamTransport.Memory:
                return builder.AddRealtimeMemoryStreams();
            case RealtimeStreamTransport.None:
                return builder;
        }

        var services = builder.Services;
        AddQueues(services, section);
        services.TryAddSingleton<QueueRouter>();
        services.TryAddSingleton<QueueBalancer>();
        services.AddPlacementDirector<QueueOwnerPlacement, QueueOwnerPlacementDirector>();
        return builder.AddPersistentStreams(RealtimeStreams.ProviderName, RealtimeQueueAdapterFactory.Create, streams =>
        {
            streams.ConfigurePartitionBalancing((services, _) => services.GetRequiredService<QueueBalancer>());
            streams.ConfigurePullingAgent(agent => agent.Configure(options =>
            {
                // Reads are long polls: the timer only restarts the pump after a read came back empty
                // (an idle wait ended) or the agent paused (cache pressure, a stream registering), so
                // it can be short without costing anything idle.
                options.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(1);

                // Up to 32 items in one delivery to a gateway.
                options.BatchContainerBatchSize = 32;
            }));
            streams.ConfigureStreamPubSub();
        });
    }

    /// <summary>The provider on a client (a gateway, an application service): produces go to the silo the client is connected to.</summary>
    public static IClientBuilder AddRealtimeStreams(this IClientBuilder builder, IConfiguration? section = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        section ??= builder.Configuration.GetSection("Realtime:Streams");
        switch (TransportOf(section))
        {
            case RealtimeStreamTransport.Memory:
                return builder.AddMemoryStreams(RealtimeStreams.ProviderName);
            case RealtimeStreamTransport.None:
                return builder;
        }

        AddQueues(builder.Services, section);
        return builder.AddPersistentStreams(RealtimeStreams.ProviderName, RealtimeQueueAdapterFactory.Create, streams => streams.ConfigureStreamPubSub());
    }

    /// <summary>Memory streams under <see cref="RealtimeStreams.ProviderName"/>, polled every <paramref name="pollPeriod"/> (default 5 ms).</summary>
    public static ISiloBuilder AddRealtimeMemoryStreams(this ISiloBuilder builder, TimeSpan? pollPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var period = pollPeriod ?? TimeSpan.FromMilliseconds(5);
        return builder.AddMemoryStreams(RealtimeStreams.ProviderName, streams =>
            streams.ConfigurePullingAgent(agent => agent.Configure(options =>
            {
                options.GetQueueMsgsTimerPeriod = period;
                options.BatchContainerBatchSize = 32;
            })));
    }

    private static RealtimeStreamTransport TransportOf(IConfiguration section)
    {
        var value = section["Provider"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return RealtimeStreamTransport.Queues;
        }

        return Enum.TryParse<RealtimeStreamTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport)
            ? transport
            : throw new InvalidOperationException($"Realtime:Streams:Provider must be Queues, Memory or None (was '{value}').");
    }

    private static void AddQueues(IServiceCollection services, IConfiguration section)
    {
        services.AddValidatedOptions<RealtimeQueueOptions, RealtimeQueueOptionsValidator>(section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RealtimeQueues>();
    }
}
