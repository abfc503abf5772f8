using Realtime.Grains;
using Realtime.Grains.Handlers;

namespace Realtime.Client.Tests;

/// <summary>An embedded gateway with a few handlers the client tests call.</summary>
public sealed class ClientFixture : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
        => Server = await GatewayServer.StartAsync(
            new Dictionary<string, string> { ["Realtime:Gateway:RateLimitPerSecond"] = "0", ["Realtime:Gateway:RateLimitBytesPerSecond"] = "0" },
            builder => builder.Services.AddRealtimeHandlers(handlers => handlers
                .Map("test", "add", (int[] numbers) => numbers.Sum())
                .Map("test", "reverse", (byte[] bytes) => bytes.Reverse().ToArray())
                .Map("test", "slow", async (CancellationToken token) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), token);
                    return 0;
                })
                .Map("test", "kickme", async (HandlerContext context) =>
                {
                    await context.Realtime.DisconnectClientAsync(context.ClientId, 1001, "test kick");
                    return true;
                })));

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public RealtimeClient NewClient(Action<RealtimeClientOptions>? configure = null)
    {
        var options = new RealtimeClientOptions { Uri = Server.WsUri, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };
        configure?.Invoke(options);
        return new RealtimeClient(options);
    }
}

[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<ClientFixture>
{
    public const string Name = "client";
}
