using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Client.Tests;

/// <summary>The .NET client answers the server's requests with its request handlers.</summary>
[Collection(ClientCollection.Name)]
public sealed class ServerRequestClientTests(ClientFixture fixture)
{
    private IRealtime Realtime => fixture.Server.Services.GetRequiredService<IRealtime>();

    [Fact]
    public async Task AHandlersResultIsTheAnswerAndItsRefusalIsTheError()
    {
        await using var client = fixture.NewClient();
        using var confirm = client.OnRequest("game", "confirm", async (request, token) =>
        {
            await Task.Yield();
            return new { accept = request.Data.GetProperty("move").GetInt32() == 7 };
        });
        using var refuse = client.OnRequest("game", "refuse", (_, _) => throw new RealtimeRequestException("REFUSED", "not now"));
        using var broken = client.OnRequest("game", "broken", (_, _) => throw new InvalidOperationException("a bug with private details"));
        await client.ConnectAsync();

        var accepted = await Realtime.InvokeClientAsync<JsonElement>(client.ClientId!, "game", "confirm", new { move = 7 }).Within("the handler's answer");
        var refused = await Assert.ThrowsAsync<RealtimeException>(() => Realtime.InvokeClientAsync<JsonElement>(client.ClientId!, "game", "refuse", null).Within("the refusal"));
        var failed = await Assert.ThrowsAsync<RealtimeException>(() => Realtime.InvokeClientAsync<JsonElement>(client.ClientId!, "game", "broken", null).Within("the failure"));
        var unknown = await Assert.ThrowsAsync<RealtimeException>(() => Realtime.InvokeClientAsync<JsonElement>(client.ClientId!, "game", "nobody", null).Within("the unknown route"));

        Assert.True(accepted.GetProperty("accept").GetBoolean());
        Assert.Equal(("REFUSED", "not now"), (refused.Code, refused.Message));
        Assert.Equal("HANDLER_ERROR", failed.Code);
        Assert.DoesNotContain("private", failed.Message, StringComparison.Ordinal);
        Assert.Equal("UNKNOWN_ROUTE", unknown.Code);
    }

    [Fact]
    public async Task ASlowRequestHandlerHoldsUpNeitherPushesNorOtherRequests()
    {
        await using var client = fixture.NewClient();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pushed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = client.OnRequest("work", "slow", async (_, token) =>
        {
            await release.Task.WaitAsync(token);
            return "slow done";
        });
        using var fast = client.OnRequest("work", "fast", (_, _) => Task.FromResult<object?>("fast done"));
        using var push = client.On("note", "*", p => pushed.TrySetResult(p.Data.GetProperty("text").GetString()));
        await client.ConnectAsync();

        var slowly = Realtime.InvokeClientAsync<string>(client.ClientId!, "work", "slow", null, TimeSpan.FromSeconds(30));
        var quick = await Realtime.InvokeClientAsync<string>(client.ClientId!, "work", "fast", null).Within("the fast answer");
        await Realtime.SendToClientAsync(client.ClientId!, "note", "n", new { text = "meanwhile" });
        var text = await pushed.Task.Within("the push while the slow handler runs");
        release.SetResult();

        Assert.Equal(("fast done", "meanwhile"), (quick, text));
        Assert.Equal("slow done", await slowly.Within("the slow answer"));
    }
}
