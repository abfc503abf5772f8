using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Realtime.Api;
using Realtime.Delivery;
using Realtime.Grains.Connections;
using Realtime.Grains.Events;
using Realtime.Grains.Handlers;
using Realtime.Grains.Presence;
using Realtime.Grains.Registry;
using Realtime.Grains.Rooms;

namespace Realtime.Grains;

/// <summary>The silo's entry points: the realtime grains and their options, handlers, and the in-memory providers.</summary>
public static class RealtimeSiloBuilderExtensions
{
    /// <summary>
    /// Adds the realtime grains, handler dispatch and <see cref="IRealtime"/>. Options bind from
    /// <paramref name="configuration"/> (the <c>Realtime</c> section: <c>Rooms</c>, <c>Clients</c>,
    /// <c>Handlers</c>, <c>Presence</c>) when given. The host registers grain storage <see cref="RealtimeStorage.Name"/>,
    /// the pub-sub store and the stream provider <see cref="RealtimeStreams.ProviderName"/>.
    /// </summary>
    public static ISiloBuilder AddRealtime(this ISiloBuilder builder, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<LocalSiloStartup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LocalSiloStartupParticipant>();
        services.AddWatchdogStartFilter();
        services.TryAddSingleton<Diagnostics.GrainMetrics>();
        services.AddRealtimeClock();
        services.AddValidatedOptions<RoomOptions, RoomOptionsValidator>(configuration?.GetSection("Rooms"));
        services.AddValidatedOptions<ClientOptions, ClientOptionsValidator>(configuration?.GetSection("Clients"));
        services.AddValidatedOptions<HandlerOptions, HandlerOptionsValidator>(configuration?.GetSection("Handlers"));
        services.AddValidatedOptions<PresenceOptions, PresenceOptionsValidator>(configuration?.GetSection("Presence"));
        services.AddValidatedOptions<GatewayRegistryOptions, GatewayRegistryOptionsValidator>(configuration?.GetSection("Gateways"));
        services.AddValidatedOptions<EventOptions, EventOptionsValidator>(configuration?.GetSection("Events"));
        services.AddValidatedOptions<Users.UserRoomOptions, Users.UserRoomOptionsValidator>(configuration?.GetSection("Users"));
        services.TryAddSingleton<SubscriberRegistry>();
        services.TryAddSingleton<EventDispatcher>();
        services.TryAddSingleton<Lifecycle>();
        services.TryAddSingleton<AppHooks>();
        services.TryAddSingleton<RoomAccessControl>();
        services.TryAddSingleton<HandlerRegistry>();
        services.TryAddSingleton<HandlerDispatcher>();
        services.TryAddSingleton<SiloShutdown>();
        services.TryAddSingleton<IRealtime>(sp => new RealtimeApi(sp.GetRequiredService<IGrainFactory>()));
        if (!services.Any(d => d.ImplementationType == typeof(HandlerStartup)))
        {
            services.AddHostedService<HandlerStartup>();
        }

        return builder;
    }

    /// <summary>Registers application handlers (delegates and controllers); see <see cref="RealtimeHandlerBuilder"/>.</summary>
    public static ISiloBuilder AddRealtimeHandlers(this ISiloBuilder builder, Action<RealtimeHandlerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRealtimeHandlers(configure);
        return builder;
    }

    /// <summary>Registers application handlers on a service collection that a silo uses.</summary>
    public static IServiceCollection AddRealtimeHandlers(this IServiceCollection services, Action<RealtimeHandlerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new RealtimeHandlerBuilder(services));
        return services;
    }

    /// <summary>Says who may join, publish to and see which rooms; see <see cref="RealtimeRoomsBuilder"/>.</summary>
    public static IServiceCollection AddRealtimeRooms(this IServiceCollection services, Action<RealtimeRoomsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new RealtimeRoomsBuilder(services));
        return services;
    }

    /// <summary>Registers subscribers to custom and lifecycle events; see <see cref="RealtimeSubscribersBuilder"/>.</summary>
    public static IServiceCollection AddRealtimeSubscribers(this IServiceCollection services, Action<RealtimeSubscribersBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new RealtimeSubscribersBuilder(services));
        return services;
    }

    /// <summary>Adds application code the silo calls when connections open and close, frames arrive, handlers fail.</summary>
    public static IServiceCollection AddRealtimeHooks<THooks>(this IServiceCollection services)
        where THooks : RealtimeHooks
    {
        services.AddSingleton<RealtimeHooks, THooks>();
        return services;
    }

    /// <summary>Adds application code run when users come online and go offline.</summary>
    public static IServiceCollection AddRealtimePresenceHooks<THooks>(this IServiceCollection services)
        where THooks : class, IPresenceHooks
    {
        services.AddSingleton<IPresenceHooks, THooks>();
        return services;
    }

    /// <summary>
    /// The single-process providers: memory grain storage for realtime state and stream pub-sub, and
    /// the stream provider (<see cref="RealtimeStreamsBuilderExtensions.AddRealtimeStreams(ISiloBuilder, IConfiguration?)"/>).
    /// Gateways that are Orleans clients of such a silo add the same stream provider.
    /// </summary>
    public static ISiloBuilder AddRealtimeInMemoryProviders(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var name in (string[])[RealtimeStorage.Name, RealtimeStreams.PubSubStorageName])
        {
            builder.AddMemoryGrainStorage(name, (OptionsBuilder<MemoryGrainStorageOptions> options) => options.Configure<Serializer>(
                (options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
        }

        return builder.AddRealtimeStreams();
    }
}
