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
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, new Dictionary<string, string>
        {
            ["Realtime:Modules:0"] = ProcessCluster.TestModuleDll,
            ["Realtime:Api:Key"] = ApiKey,
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
            ["Realtime:Auth:AllowAnonymous"] = "true",
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        });
        var (a, b) = (cluster.Gateways[0], cluster.Gateways[1]);
        var user = TestIds.User();
        await using var asker = await WsClient.ConnectAsync(a.WsUri);
        await using var phone = await WsClient.ConnectAsync(a.WsUriWithToken(Tokens.Create(user)));
        await using var laptop = await WsClient.ConnectAsync(b.WsUriWithToken(Tokens.Create(user)));
        var realtime = await cluster.RealtimeAsync();

        // A handler on a silo asks a connection on the other gateway.
        var handled = asker.RequestAsync("module", "ask", new { clientId = laptop.ClientId }, TimeSpan.FromSeconds(30));
        var fromHandler = await NextRequestAsync(laptop);
        await AnswerAsync(laptop, fromHandler, new { answer = "to the handler" });
        var reply = await handled;

        // The application service asks the user: one outcome per connection, on both gateways.
        var asked = realtime.InvokeUserAsync(user, "device", "locate", null, TimeSpan.FromSeconds(20));
        await AnswerAsync(phone, await NextRequestAsync(phone), new { where = "a" });
        await AnswerAsync(laptop, await NextRequestAsync(laptop), new { where = "b" });
        var outcomes = (await asked.Within("both connections' outcomes")).ToDictionary(o => o.ClientId, o => o.As<JsonElement>().GetProperty("where").GetString());

        // Gateway A's HTTP API asks a connection on gateway B.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var posted = http.PostAsJsonAsync(new Uri(a.HttpUri, "/api/invoke-client"), new { clientId = laptop.ClientId, type = "api", action = "ask", timeoutMs = 20000 });
        await AnswerAsync(laptop, await NextRequestAsync(laptop), new { via = "http" });
        using var response = await posted;

        Assert.Equal("a handler", fromHandler.GetProperty("data").GetProperty("from").GetString());
        Assert.Equal("to the handler", reply.GetProperty("data").GetProperty("answer").GetString());
        Assert.Equal(new Dictionary<string, string?> { [phone.ClientId] = "a", [laptop.ClientId] = "b" }, outcomes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("via").GetString());
    }

    private static Task<JsonElement> NextRequestAsync(WsClient client)
        => client.WaitForPushAsync(p => p.TryGetProperty("rid", out _), "a server request");

    private static Task AnswerAsync(WsClient client, JsonElement request, object? data)
        => client.SendAsync("system", "answer", new { rid = request.GetProperty("rid").GetString(), ok = true, data });
}
