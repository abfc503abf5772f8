using System.Runtime.Loader;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Realtime.Grains;

namespace Realtime.Hosting;

/// <summary>Loads the application modules a host is configured with (<c>Realtime:Modules</c>: assembly paths).</summary>
public static class RealtimeModules
{
    /// <summary>Maps the endpoints of every loaded module that has some (<see cref="IRealtimeEndpoints"/>).</summary>
    public static IEndpointRouteBuilder MapRealtimeModules(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var loaded in endpoints.ServiceProvider.GetServices<LoadedModule>())
        {
            (loaded.Module as IRealtimeEndpoints)?.MapEndpoints(endpoints);
        }

        return endpoints;
    }

    /// <summary>
    /// Loads the modules into a gateway that is only a client of the cluster, for what they add on
    /// the gateway's side: endpoints (<see cref="IRealtimeEndpoints"/>), ASP.NET Core services,
    /// exporters. Their silo-side registrations (handlers, subscribers, hooks) are inert there: the
    /// silos that load the same modules run them.
    /// </summary>
    public static IClientBuilder AddRealtimeModules(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(configuration);
        Load(client.Services, configuration);
        return client;
    }

    internal static void Load(IServiceCollection services, IConfiguration configuration)
    {
        foreach (var path in configuration.GetSection("Realtime:Modules").Get<string[]>() ?? [])
        {
            var fullPath = Path.GetFullPath(path);
            if (!File.Exists(fullPath))
            {
                throw new FileNotFoundException($"Realtime:Modules names {path}, which does not exist.", fullPath);
            }

            // The module's own dependencies come from its folder; shared ones (Orleans, Realtime) are already loaded.
            var resolver = new AssemblyDependencyResolver(fullPath);
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);

            // Its grains and serializable types.
            services.AddSerializer(serializer => serializer.AddAssembly(assembly));
            var modules = assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IRealtimeModule).IsAssignableFrom(t)).ToList();
            if (modules.Count == 0)
            {
                throw new InvalidOperationException($"{assembly.GetName().Name} has no public class implementing {nameof(IRealtimeModule)}.");
            }

            foreach (var type in modules)
            {
                var module = (IRealtimeModule)Activator.CreateInstance(type)!;
                module.Configure(services, configuration);
                services.AddSingleton(new LoadedModule(module));
            }
        }
    }
}

/// <summary>A module instance the host loaded, for what it does after the host is built.</summary>
internal sealed record LoadedModule(IRealtimeModule Module);
