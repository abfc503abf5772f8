using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Api;
using Realtime.Hosting;

namespace Realtime.Gateway.Tests;

/// <summary>
/// An application service in its own host, set up the way README says (<c>AddRealtimeClient</c> and
/// the cluster's configuration), pushes to a connection of the embedded gateway.
/// </summary>
public sealed class ApplicationServiceTests
{
    [Fact]
    public async Task AServiceWithAddRealtimeClientReachesTheEmbeddedGatewaysConnectionsAndGetsTheirAnswers()
    {
        var gatewayPort = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var clusterId = "svc-" + Guid.NewGuid().ToString("N")[..12];
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Orleans:GatewayPort"] = gatewayPort,
            ["Orleans:ClusterId"] = clusterId,
        });
        await using var client = await server.ConnectAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:GatewayPort"] = gatewayPort,
            ["Orleans:ClusterId"] = clusterId,
        });
        builder.AddRealtimeClient();
        using var service = builder.Build();
        await service.StartAsync().Within("the service's cluster client to connect", TimeSpan.FromSeconds(60));
        var realtime = service.Services.GetRequiredService<IRealtime>();

        await realtime.SendToClientAsync(client.ClientId, "svc", "hello", new { text = "from a service" });

        var push = await client.NextPushAsync("the service's push");
        Assert.Equal(("svc", "hello", "from a service"), (push.GetProperty("type").GetString(), push.GetProperty("action").GetString(), push.Text()));

        // A server request from the service: the answer comes back to the service's own process.
        var asked = realtime.InvokeClientAsync<System.Text.Json.JsonElement>(client.ClientId, "svc", "confirm", new { text = "ok?" }, TimeSpan.FromSeconds(20));
        await client.AnswerAsync(await client.NextRequestAsync("the service's request"), new { text = "ok" });
        Assert.Equal("ok", (await asked.Within("the answer in the service")).GetProperty("text").GetString());
        await service.StopAsync();
        server.Logs.AssertNoUnexpectedErrors();
    }
}
