using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Realtime.Api;

namespace Realtime.Cluster.Tests;

/// <summary>
/// Server requests across processes: two silos, two gateways, the asker in a silo (a handler), in an
/// application service and behind the HTTP API of the other gateway; each answer goes back to its asker.
/// </summary>
public sealed class ServerRequestClusterTests
{
    private const string ApiKey = "cluster-test-api-key-0123";

    [Fact]
    public async Task EveryAskerGetsItsAnswerWhicheverGatewayHoldsTheConnection()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, Tokens.Settings(new Dictionary<string, string>
        {
            ["Realtime:Modules:0"] = ProcessCluster.TestModuleDll,
            ["Realtime:Api:Key"] = ApiKey,
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        }));
        var (a, b) = (cluster.Gateways[0], cluster.Gateways[1]);
        var user = TestIds.User();
        await using var asker = await WsClient.ConnectAsync(a.WsUri);
        await using var phone = await WsClient.ConnectAsync(a.WsUriWithToken(Tokens.Create(user)));
        await using var laptop = await WsClient.ConnectAsync(b.WsUriWithToken(Tokens.Create(user)));
        var realtime = await cluster.RealtimeAsync();

        // A handler on a silo asks a connection on the other gateway.
        var handled = asker.RequestAsync("module", "ask", new { clientId = laptop.ClientId }, TimeSpan.FromSeconds(30));
        var fromHandler = await laptop.NextRequestAsync();
        await laptop.AnswerAsync(fromHandler, new { answer = "to the handler" });
        var reply = await handled;

        // The application service asks the user: one outcome per connection, on both gateways.
        var asked = realtime.InvokeUserAsync(user, "device", "locate", null, TimeSpan.FromSeconds(20));
        await phone.AnswerAsync(await phone.NextRequestAsync(), new { where = "a" });
        await laptop.AnswerAsync(await laptop.NextRequestAsync(), new { where = "b" });
        var outcomes = (await asked.Within("both connections' outcomes")).ToDictionary(o => o.ClientId, o => o.As<JsonElement>().GetProperty("where").GetString());

        // Gateway A's HTTP API asks a connection on gateway B.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var posted = http.PostAsJsonAsync(new Uri(a.HttpUri, "/api/invoke-client"), new { clientId = laptop.ClientId, type = "api", action = "ask", timeoutMs = 20000 });
        await laptop.AnswerAsync(await laptop.NextRequestAsync(), new { via = "http" });
        using var response = await posted;

        Assert.Equal("a handler", fromHandler.GetProperty("data").GetProperty("from").GetString());
        Assert.Equal("to the handler", reply.GetProperty("data").GetProperty("answer").GetString());
        Assert.Equal(new Dictionary<string, string?> { [phone.ClientId] = "a", [laptop.ClientId] = "b" }, outcomes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("via").GetString());
    }
}
