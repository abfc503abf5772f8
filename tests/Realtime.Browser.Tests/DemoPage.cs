using System.Text.RegularExpressions;

namespace Realtime.Browser.Tests;

/// <summary>The demo chat at <c>/</c>, driven the way a person uses it.</summary>
public sealed class DemoPage(BrowserPage browserPage) : IAsyncDisposable
{
    public IPage Page => browserPage.Page;

    public ILocator State => Page.Locator("#state");

    public ILocator Messages => Page.Locator("#messages li.msg .text");

    public ILocator Notes => Page.Locator("#messages li.note");

    public ILocator Online => Page.Locator("#online li");

    public ILocator Typing => Page.Locator("#typing");

    /// <summary>Opens the demo of <paramref name="gateway"/> as <paramref name="name"/> in <paramref name="room"/>, and waits until it is in the room.</summary>
    public static async Task<DemoPage> OpenAsync(HeadlessChromium chromium, Uri gateway, string name, string room)
    {
        var page = new DemoPage(await chromium.OpenAsync(new Uri(gateway, $"/?name={Uri.EscapeDataString(name)}#{Uri.EscapeDataString(room)}")));
        await Assertions.Expect(page.State).ToHaveTextAsync("connected");
        await Assertions.Expect(page.Notes.Last).ToHaveTextAsync($"You are in {room}.");
        return page;
    }

    /// <summary>Types a message and presses Enter; waits until the room has echoed it back.</summary>
    public async Task SayAsync(string text)
    {
        await Page.Locator("#text").FillAsync(text);
        await Page.Locator("#text").PressAsync("Enter");
        await Assertions.Expect(Messages.Filter(new LocatorFilterOptions { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") })).ToHaveCountAsync(1);
    }

    /// <summary>The texts of the messages shown, in order.</summary>
    public async Task<IReadOnlyList<string>> MessageTextsAsync() => await Messages.AllTextContentsAsync();

    public void AssertNoErrors() => browserPage.AssertNoErrors();

    public ValueTask DisposeAsync() => browserPage.DisposeAsync();
}
