using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;
using Realtime.Grains;
using Realtime.Grains.Handlers;

namespace Realtime.Gateway.Tests;

/// <summary>
/// Server requests end to end: a push with <c>rid</c> goes to the connection, its
/// <c>system</c>/<c>answer</c> comes back to the caller, from a test, a handler or a user's connections.
/// </summary>
public sealed class ServerRequestTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    private IRealtime Realtime => _server.Services.GetRequiredService<IRealtime>();

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(
        Tokens.Settings(new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        }),
        builder => builder.Services.AddRealtimeHandlers(handlers => handlers
            .Map("ask", "self", async (HandlerContext context, IRealtime realtime) =>
                await realtime.InvokeClientAsync<JsonElement>(context.ClientId, "ask", "confirm", new { question = "sure?" }, TimeSpan.FromSeconds(20)))
            .Map("ask", "other", async (JsonElement data, IRealtime realtime) =>
                await realtime.InvokeClientAsync<JsonElement>(data.GetProperty("clientId").GetString()!, "ask", "confirm", new { question = "you?" }, TimeSpan.FromSeconds(20)))));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheClientsAnswerIsTheResult()
    {
        await using var client = await _server.ConnectAsync();

        var asked = Realtime.InvokeClientAsync<JsonElement>(client.ClientId, "game", "confirm", new { move = 7 });
        var request = await client.NextRequestAsync();
        await client.AnswerAsync(request, new { accept = true });
        var result = await asked.Within("the answer");

        Assert.Equal(("game", "confirm", 7), (request.GetProperty("type").GetString(), request.GetProperty("action").GetString(), request.GetProperty("data").GetProperty("move").GetInt32()));
        Assert.StartsWith("r_", request.GetProperty("rid").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("accept").GetBoolean());
        _server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ARefusalThrowsTheClientsCodeAndAnAnswerWithAnIdIsRepliedTo()
    {
        await using var client = await _server.ConnectAsync();

        var asked = Realtime.InvokeClientAsync<JsonElement>(client.ClientId, "game", "confirm", null);
        var request = await client.NextRequestAsync();
        var reply = await client.RequestAsync("system", "answer", new { rid = request.GetProperty("rid").GetString(), ok = false, error = "no", code = "REFUSED" });
        var refused = await Assert.ThrowsAsync<RealtimeException>(() => asked.Within("the refusal"));

        Assert.Equal(("REFUSED", "no"), (refused.Code, refused.Message));
        Assert.Equal(JsonValueKind.Object, reply.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task NoAnswerInTimeIsTimeoutAndTheLateAnswerIsDroppedWithoutAWord()
    {
        await using var client = await _server.ConnectAsync();

        var asked = Realtime.InvokeClientAsync<JsonElement>(client.ClientId, "game", "confirm", null, TimeSpan.FromMilliseconds(300));
        var request = await client.NextRequestAsync();
        var timedOut = await Assert.ThrowsAsync<RealtimeException>(() => asked.Within("the timeout"));
        await client.AnswerAsync(request, new { late = true });
        var unknown = await client.RequestAsync("system", "answer", new { rid = "r_nobody", ok = true });
        var echo = await client.RequestAsync("test", "nothing-here");

        Assert.Equal("TIMEOUT", timedOut.Code);
        Assert.Equal(JsonValueKind.Object, unknown.GetProperty("data").ValueKind);
        echo.AssertError("UNKNOWN_ROUTE");
        Assert.False(client.TryTakePush(out var push), $"no push after the late answers, got {push}");
    }

    [Fact]
    public async Task AClientThatIsNotThereOrGoesMidRequestIsNotConnectedAtOnce()
    {
        await using var client = await _server.ConnectAsync();

        var nobody = await Assert.ThrowsAsync<RealtimeException>(() => Realtime.InvokeClientAsync<JsonElement>("c_nobody", "game", "confirm", null).Within("the refusal"));
        var asked = Realtime.InvokeClientAsync<JsonElement>(client.ClientId, "game", "confirm", null, TimeSpan.FromMinutes(5));
        await client.NextRequestAsync();
        await client.AbortAsync();

        // Long before its five minutes: the gateway says so when the connection goes.
        var gone = await Assert.ThrowsAsync<RealtimeException>(() => asked.Within("NOT_CONNECTED after the drop", TimeSpan.FromSeconds(30)));
        Assert.Equal(("NOT_CONNECTED", "NOT_CONNECTED"), (nobody.Code, gone.Code));
    }

    [Fact]
    public async Task ManyRequestsInFlightEachGetTheirOwnAnswer()
    {
        await using var client = await _server.ConnectAsync();

        var asked = Enumerable.Range(0, 50).Select(i => Realtime.InvokeClientAsync<JsonElement>(client.ClientId, "calc", "double", new { n = i })).ToList();
        var requests = new List<JsonElement>();
        for (var i = 0; i < asked.Count; i++)
        {
            requests.Add(await client.NextRequestAsync());
        }

        // Answered in reverse order: each answer finds its own request by rid.
        foreach (var request in Enumerable.Reverse(requests))
        {
            await client.AnswerAsync(request, new { n = request.GetProperty("data").GetProperty("n").GetInt32() * 2 });
        }

        var results = await Task.WhenAll(asked).Within("every answer");
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2), results.Select(r => r.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task AHandlerCanAskItsOwnConnectionWhileItsFrameIsInFlight()
    {
        await using var client = await _server.ConnectAsync();

        var reply = client.RequestAsync("ask", "self", timeout: TimeSpan.FromSeconds(30));
        var request = await client.NextRequestAsync();
        await client.AnswerAsync(request, new { sure = "yes" });

        Assert.Equal("sure?", request.GetProperty("data").GetProperty("question").GetString());
        Assert.Equal("yes", (await reply).GetProperty("data").GetProperty("sure").GetString());
    }

    [Fact]
    public async Task AHandlerCanAskAnotherConnection()
    {
        await using var asker = await _server.ConnectAsync();
        await using var other = await _server.ConnectAsync();

        var reply = asker.RequestAsync("ask", "other", new { clientId = other.ClientId }, TimeSpan.FromSeconds(30));
        var request = await other.NextRequestAsync();
        await other.AnswerAsync(request, new { me = other.ClientId });

        Assert.Equal(other.ClientId, (await reply).GetProperty("data").GetProperty("me").GetString());
    }

    [Fact]
    public async Task AUserIsAskedOnEachConnectionAndEachOutcomeIsItsOwn()
    {
        var user = TestIds.User();
        await using var phone = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        await using var laptop = await _server.ConnectWithTokenAsync(Tokens.Create(user));

        var asked = Realtime.InvokeUserAsync(user, "device", "locate", new { precise = true }, TimeSpan.FromSeconds(20));
        await phone.AnswerAsync(await phone.NextRequestAsync(), new { where = "pocket" });
        var laptopRequest = await laptop.NextRequestAsync();
        await laptop.RefuseAsync(laptopRequest, "ASLEEP", "lid closed");
        var outcomes = (await asked.Within("both outcomes")).ToDictionary(o => o.ClientId);

        Assert.Equal(new[] { laptop.ClientId, phone.ClientId }.Order(StringComparer.Ordinal), outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("pocket", outcomes[phone.ClientId].As<JsonElement>().GetProperty("where").GetString());
        Assert.Equal((false, "ASLEEP", "lid closed"), (outcomes[laptop.ClientId].Ok, outcomes[laptop.ClientId].Code, outcomes[laptop.ClientId].Error));
    }

    [Fact]
    public async Task AnAnswerWithoutRidIsInvalidAndCostsTheConnectionNothing()
    {
        await using var client = await _server.ConnectAsync();

        var invalid = await client.RequestAsync("system", "answer", new { ok = true });
        var asked = Realtime.InvokeClientAsync<JsonElement>(client.ClientId, "game", "confirm", null);
        await client.AnswerAsync(await client.NextRequestAsync(), 42);

        invalid.AssertError("INVALID_MESSAGE");
        Assert.Equal(42, (await asked.Within("the answer after the invalid one")).GetInt32());
    }
}
