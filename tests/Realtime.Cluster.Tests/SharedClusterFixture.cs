namespace Realtime.Cluster.Tests;

/// <summary>Redis, two silo processes and two gateway processes, shared by tests that break nothing.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    public const int MaxConnectionsPerUser = 2;

    public ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
        => Cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
            ["Realtime:Auth:AllowAnonymous"] = "true",
            ["Realtime:Presence:MaxConnectionsPerUser"] = MaxConnectionsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
            ["Realtime:Gateway:Paths:0"] = "/ws",
            ["Realtime:Gateway:Paths:1"] = "/ws/alt",
        });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedClusterFixture>
{
    public const string Name = "shared-cluster";
}
