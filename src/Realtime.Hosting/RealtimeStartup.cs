using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Realtime.Hosting;

/// <summary>
/// How the shipped hosts start: every hosted service at once, so Kestrel listens (and answers
/// <c>/health/ready</c> with what the process waits for) from the first second, while a silo joins its
/// cluster or a client connects. Services registered after a co-hosted silo (the dashboard's, the
/// gateway's, the application's) still start only once that silo is active, as they would one after another.
/// </summary>
public static class RealtimeStartup
{
    /// <summary>Call after every registration, just before the host is built.</summary>
    public static IServiceCollection StartBesideTheSilo(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        var afterSilo = false;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService)
            {
                continue;
            }

            if (!afterSilo)
            {
                afterSilo = descriptor.ImplementationType?.FullName == "Orleans.Hosting.SiloHostedService";
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<IHostedService>(provider => new SiloGated(Create(provider, descriptor), provider.GetRequiredService<LocalSiloStartup>()));
        }

        return services;
    }

    private static IHostedService Create(IServiceProvider provider, ServiceDescriptor descriptor)
        => (IHostedService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.GetServiceOrCreateInstance(provider, descriptor.ImplementationType!));

    /// <summary>A hosted service that starts once the local silo is active.</summary>
    private sealed class SiloGated(IHostedService inner, LocalSiloStartup silo) : IHostedService
    {
        private bool _started;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await silo.Active.WaitAsync(cancellationToken);
            await inner.StartAsync(cancellationToken);
            _started = true;
        }

        public Task StopAsync(CancellationToken cancellationToken) => _started ? inner.StopAsync(cancellationToken) : Task.CompletedTask;
    }
}
