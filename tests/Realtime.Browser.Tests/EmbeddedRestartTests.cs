namespace Realtime.Browser.Tests;

/// <summary>The run command's server (embedded silo, state in memory) is restarted under two open pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbeddedRestartTests(HeadlessChromium chromium)
{
    [Fact]
    public async Task AfterARestartThePagesReconnectKeepWhatTheyShowAndChatOn()
    {
        var settings = new Dictionary<string, string> { ["urls"] = $"http://127.0.0.1:{FreePorts.Next()}" };
        var server = await GatewayServer.StartAsync(settings, shippedRoomPolicies: true);
        try
        {
            var room = "chat:embedded-" + Guid.NewGuid().ToString("N")[..8];
            await using var alice = await DemoPage.OpenAsync(chromium, server.HttpUri, "Alice", room);
            await using var bob = await DemoPage.OpenAsync(chromium, server.HttpUri, "Bob", room);
            await alice.SayAsync("before the restart");
            await Assertions.Expect(bob.Messages).ToHaveTextAsync(["before the restart"]);

            await server.DisposeAsync();
            await Assertions.Expect(bob.State).Not.ToHaveTextAsync("connected");
            server = await GatewayServer.StartAsync(settings, shippedRoomPolicies: true);
            await Assertions.Expect(alice.State).ToHaveTextAsync("connected", new() { Timeout = 30_000 });
            await Assertions.Expect(bob.State).ToHaveTextAsync("connected", new() { Timeout = 30_000 });

            // The room's history was in memory: the pages say so, and keep what they show.
            await Assertions.Expect(bob.Page.Locator("#messages li.warn")).ToHaveCountAsync(1);
            await Assertions.Expect(alice.Online).ToHaveTextAsync(["Alice (you)", "Bob"], new() { UseInnerText = true });
            await bob.SayAsync("after the restart");
            await alice.SayAsync("still here");
            string[] conversation = ["before the restart", "after the restart", "still here"];
            await Assertions.Expect(alice.Messages).ToHaveTextAsync(conversation);
            await Assertions.Expect(bob.Messages).ToHaveTextAsync(conversation);
            alice.AssertNoErrors();
            bob.AssertNoErrors();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
