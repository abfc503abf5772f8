namespace Realtime.Browser.Tests;

/// <summary>Two people chat through the demo page of the embedded gateway.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoTests(HeadlessChromium chromium, EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    [Fact]
    public async Task TwoPagesChatWithNamesTypingAndTheOnlineList()
    {
        var room = "chat:demo-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Alice", room);
        await using var bob = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Bob", room);

        await Assertions.Expect(alice.Online).ToHaveTextAsync(["Alice (you)", "Bob"], new() { UseInnerText = true });
        await Assertions.Expect(bob.Online).ToHaveTextAsync(["Bob (you)", "Alice"], new() { UseInnerText = true });
        await Assertions.Expect(alice.Notes.Last).ToHaveTextAsync("Bob joined");

        await bob.Page.Locator("#text").PressSequentiallyAsync("hel");
        await Assertions.Expect(alice.Typing).ToHaveTextAsync("Bob is typing…");

        await bob.SayAsync("hello from Bob");
        await Assertions.Expect(alice.Messages).ToHaveTextAsync(["hello from Bob"]);
        await Assertions.Expect(alice.Typing).ToHaveTextAsync("");
        await alice.SayAsync("hi Bob, Alice here");
        await bob.SayAsync("nice to meet you");
        string[] conversation = ["hello from Bob", "hi Bob, Alice here", "nice to meet you"];
        await Assertions.Expect(alice.Messages).ToHaveTextAsync(conversation);
        await Assertions.Expect(bob.Messages).ToHaveTextAsync(conversation);
        await Assertions.Expect(alice.Page.Locator("#messages li.msg .who")).ToHaveTextAsync(["Bob", "Alice", "Bob"]);

        await alice.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Artifacts("screenshots"), "demo.png") });

        await bob.DisposeAsync();
        await Assertions.Expect(alice.Notes.Last).ToHaveTextAsync("Bob left");
        await Assertions.Expect(alice.Online).ToHaveTextAsync(["Alice (you)"], new() { UseInnerText = true });
        alice.AssertNoErrors();
    }

    [Fact]
    public async Task ARenameReachesTheOthersAndTheOnlineList()
    {
        var room = "chat:rename-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Alice", room);
        await using var bob = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Bob", room);
        await Assertions.Expect(alice.Online).ToHaveTextAsync(["Alice (you)", "Bob"], new() { UseInnerText = true });

        await bob.Page.Locator("#name").FillAsync("Robert");
        await bob.Page.Locator("#name").PressAsync("Enter");
        await bob.Page.Locator("#text").FocusAsync();

        await Assertions.Expect(alice.Notes.Last).ToHaveTextAsync("Bob is now Robert");
        await Assertions.Expect(alice.Online).ToHaveTextAsync(["Alice (you)", "Robert"], new() { UseInnerText = true });
        await bob.SayAsync("call me Robert");
        await Assertions.Expect(alice.Page.Locator("#messages li.msg .who")).ToHaveTextAsync(["Robert"]);
        alice.AssertNoErrors();
        bob.AssertNoErrors();
    }
}
