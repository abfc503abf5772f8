using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Realtime.Grains.Tests;

/// <summary>A test class with a one-silo cluster of its own, for settings the shared cluster does not have.</summary>
public abstract class OwnClusterTest : LogCheckedTest
{
    protected InProcessTestCluster Cluster { get; private set; } = null!;

    protected IGrainFactory Grains => Cluster.Client;

    protected override LogCapture Logs { get; } = new(Microsoft.Extensions.Logging.LogLevel.Information);

    /// <summary>How many silos the cluster has. Default 1.</summary>
    protected virtual short Silos => 1;

    /// <summary>Handlers the silos have, if any.</summary>
    protected virtual Action<Realtime.Grains.Handlers.RealtimeHandlerBuilder>? Handlers => null;

    /// <summary>The configuration the cluster's silos start with.</summary>
    protected abstract IDictionary<string, string?> Settings { get; }

    /// <summary>Services the silos get besides the realtime ones.</summary>
    protected virtual void ConfigureSilo(IServiceCollection services)
    {
    }

    public override async Task InitializeAsync()
    {
        Cluster = await RealtimeTestCluster.StartAsync(silos: Silos, settings: Settings, handlers: Handlers, logs: Logs, siloServices: ConfigureSilo);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        // Checked before the cluster stops: a stopping silo logs its own shutdown noise.
        await base.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
