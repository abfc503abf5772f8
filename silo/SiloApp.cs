using Realtime.Hosting;
using Realtime.Hosting.Health;
using Realtime.Hosting.Telemetry;

namespace Realtime.SiloHost;

/// <summary>
/// How the silo process is put together: the realtime grains with the standard hosting
/// (<see cref="Realtime.Hosting.RealtimeSiloHostingExtensions.UseRealtimeHosting"/>): Redis when
/// <c>ConnectionStrings:Redis</c> is set, otherwise a single in-memory silo. A small HTTP listener
/// (<c>Urls</c>, http://localhost:5100 by default) serves <c>/metrics</c> and <c>/health</c>.
/// </summary>
public static class SiloApp
{
    /// <summary>Builds the silo process from <paramref name="args"/> and its configuration.</summary>
    public static WebApplication Create(string[] args)
    {
        // appsettings.json sits next to the program, wherever it is started from.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.UseOrleans(silo => silo.UseRealtimeHosting(builder.Configuration));
        // A start that fails is told in one line by RealtimeHostRunner, not with the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.AddRealtimeTelemetry("realtime-silo");
        builder.Services.AddHostedService<ReadyLog>();
        builder.Services.StartBesideTheSilo();
        var app = builder.Build();
        app.MapRealtimeDashboard();
        app.MapRealtimeMetrics();
        app.MapRealtimeSiloHealth();
        app.MapRealtimeModules();
        return app;
    }
}
