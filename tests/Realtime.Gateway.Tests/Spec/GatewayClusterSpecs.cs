using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using Realtime.Gateway.Cluster;

namespace Realtime.Gateway.Tests.Spec;

/// <summary>The contract on the fake the gateway's unit tests use.</summary>
public sealed class FakeClusterSpecTests : GatewayClusterSpec
{
    private readonly FakeGatewayCluster _cluster = new();

    protected override Task<IGatewayCluster> ClusterAsync() => Task.FromResult<IGatewayCluster>(_cluster);
}

/// <summary>An in-process Orleans cluster (one silo), shared by the class's tests.</summary>
public sealed class InProcessClusterSpecFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public IGatewayCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RealtimeTestCluster.StartAsync(silos: 1);
        Cluster = new OrleansGatewayCluster(_cluster.Client, NullLogger<OrleansGatewayCluster>.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The contract on the in-process test cluster.</summary>
public sealed class InProcessClusterSpecTests(InProcessClusterSpecFixture fixture) : GatewayClusterSpec, IClassFixture<InProcessClusterSpecFixture>
{
    protected override Task<IGatewayCluster> ClusterAsync() => Task.FromResult(fixture.Cluster);
}

/// <summary>Redis and a silo process, joined by the test as an Orleans client, as a gateway process does.</summary>
public sealed class RedisClusterSpecFixture : IAsyncLifetime
{
    private ProcessCluster? _cluster;

    public IGatewayCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ProcessCluster.StartAsync(silos: 1, gateways: 0);
        Cluster = new OrleansGatewayCluster(await _cluster.ClientAsync(), NullLogger<OrleansGatewayCluster>.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The contract on silo processes on Redis.</summary>
public sealed class RedisClusterSpecTests(RedisClusterSpecFixture fixture) : GatewayClusterSpec, IClassFixture<RedisClusterSpecFixture>
{
    protected override Task<IGatewayCluster> ClusterAsync() => Task.FromResult(fixture.Cluster);
}
