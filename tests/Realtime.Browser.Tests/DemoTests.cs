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
    public async Task ALaterVisitorSeesTheRoomsRecentHistoryWithTimesAndOwnMessagesStandApart()
    {
        var room = "chat:history-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Alice", room);
        await alice.SayAsync("first");
        await alice.SayAsync("second");

        await using var bob = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Bob", room);

        await Assertions.Expect(bob.Messages).ToHaveTextAsync(["first", "second"]);
        await Assertions.Expect(bob.Page.Locator("#messages li.msg time")).ToHaveCountAsync(2);
        await Assertions.Expect(bob.Page.Locator("#messages li.mine")).ToHaveCountAsync(0);
        await Assertions.Expect(alice.Page.Locator("#messages li.mine .text")).ToHaveTextAsync(["first", "second"]);
        await bob.SayAsync("third");
        await Assertions.Expect(bob.Page.Locator("#messages li.mine .text")).ToHaveTextAsync(["third"]);
        await Assertions.Expect(alice.Page.Locator("#messages li.msg:not(.mine) .who")).ToHaveTextAsync(["Bob"]);
        alice.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task TheRoomPickerSwitchesRooms()
    {
        var room = "chat:picker-" + Guid.NewGuid().ToString("N")[..8];
        await using var page = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Alice", room);
        await Assertions.Expect(page.Page.Locator("#rooms button.current")).ToHaveTextAsync(room);

        await page.Page.Locator("#rooms button", new() { HasTextString = "chat:random" }).ClickAsync();

        await Assertions.Expect(page.Page.Locator("#roomLabel")).ToHaveTextAsync("chat:random");
        await Assertions.Expect(page.Page.Locator("#rooms button.current")).ToHaveTextAsync("chat:random");
        await Assertions.Expect(page.Notes.Last).ToHaveTextAsync("You are in chat:random.");
        Assert.EndsWith("#chat%3Arandom", page.Page.Url, StringComparison.Ordinal);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task AtPhoneWidthTheChatFitsTheScreen()
    {
        var room = "chat:phone-" + Guid.NewGuid().ToString("N")[..8];
        await using var page = await DemoPage.OpenAsync(chromium, gateway.Server.HttpUri, "Alice", room);
        await page.Page.SetViewportSizeAsync(390, 844);

        await page.SayAsync("a message long enough to need more than one line on a phone held upright in one hand");

        Assert.True(await page.Page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the page is wider than the phone");
        foreach (var selector in new[] { "#text", "#send button", "#state", "#online" })
        {
            var box = await page.Page.Locator(selector).BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390 && box.Y + box.Height <= 844, $"{selector} is off the screen: {box?.X},{box?.Y} {box?.Width}x{box?.Height}");
        }

        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Artifacts("screenshots"), "demo-390.png") });
        page.AssertNoErrors();
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
