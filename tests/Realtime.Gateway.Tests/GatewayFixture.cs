using Realtime.Grains;

namespace Realtime.Gateway.Tests;

/// <summary>One embedded gateway shared by a collection of tests; isolation is by unique room names.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
        => Server = await GatewayServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Realtime:Gateway:RateLimitPerSecond"] = "0",

                // Short: the tests see a dropped session end (resumes have tests of their own).
                ["Realtime:Clients:ResumeWindow"] = "00:00:01",
                ["Realtime:Gateway:Paths:0"] = "/ws",
                ["Realtime:Gateway:Paths:1"] = "/ws/alt",
                ["Realtime:Gateway:RawEndpoints:/raw/text"] = "String",
                ["Realtime:Gateway:RawEndpoints:/raw/bytes"] = "binary",
                ["Realtime:Gateway:RawEndpoints:/raw/unhandled"] = "String",
            },
            builder => builder.Services.AddRealtimeHandlers(TestHandlers.Register));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
