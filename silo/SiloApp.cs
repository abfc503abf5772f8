using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Realtime.Hosting;

namespace Realtime.SiloHost;

/// <summary>
/// How the silo process is put together: the realtime grains with the standard hosting
/// (<see cref="Realtime.Hosting.RealtimeSiloHostingExtensions.UseRealtimeHosting"/>): Redis when
/// <c>ConnectionStrings:Redis</c> is set, otherwise a single in-memory silo.
/// </summary>
public static class SiloApp
{
    /// <summary>Builds the silo process from <paramref name="args"/> and its configuration.</summary>
    public static IHost Create(string[] args)
    {
        // appsettings.json sits next to the program, wherever it is started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.UseOrleans(silo => silo.UseRealtimeHosting(builder.Configuration));
        builder.Services.AddHostedService<ReadyLog>();
        return builder.Build();
    }
}
