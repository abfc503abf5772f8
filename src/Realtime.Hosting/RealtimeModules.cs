using System.Runtime.Loader;
using Microsoft.Extensions.Configuration;
using Orleans.Serialization;
using Realtime.Grains;

namespace Realtime.Hosting;

/// <summary>Loads the application modules a host is configured with (<c>Realtime:Modules</c>: assembly paths).</summary>
internal static class RealtimeModules
{
    public static void Load(ISiloBuilder silo, IConfiguration configuration)
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
            silo.Services.AddSerializer(serializer => serializer.AddAssembly(assembly));
            var modules = assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IRealtimeModule).IsAssignableFrom(t)).ToList();
            if (modules.Count == 0)
            {
                throw new InvalidOperationException($"{assembly.GetName().Name} has no public class implementing {nameof(IRealtimeModule)}.");
            }

            foreach (var type in modules)
            {
                ((IRealtimeModule)Activator.CreateInstance(type)!).Configure(silo.Services, configuration);
            }
        }
    }
}
