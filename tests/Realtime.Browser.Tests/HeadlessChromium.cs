namespace Realtime.Browser.Tests;

/// <summary>
/// Headless Chromium, the Debian package's binary (<c>REALTIME_CHROMIUM</c> names another), driven
/// by Playwright; no browser is downloaded. One browser per collection, a fresh context per page.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = FindChromium(),
            Headless = true,
            Args = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>Opens <paramref name="url"/> in a new context (its own storage), watching the console for errors; <paramref name="credentials"/> answer HTTP authentication.</summary>
    public async Task<BrowserPage> OpenAsync(Uri url, HttpCredentials? credentials = null)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 640 }, HttpCredentials = credentials });
        var page = new BrowserPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(url.ToString());
        return page;
    }

    private static string FindChromium()
    {
        string[] candidates = [Environment.GetEnvironmentVariable("REALTIME_CHROMIUM") ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        return candidates.FirstOrDefault(c => c.Length > 0 && File.Exists(c))
            ?? throw new InvalidOperationException("No Chromium found: apt-get install -y chromium (tests/run.sh does), or set REALTIME_CHROMIUM.");
    }
}

/// <summary>A page and what its console said.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A socket that cannot connect (the server is down) is what the page lives through, not a fault.
            if (message.Type == "error" && !message.Text.StartsWith("WebSocket connection to", StringComparison.Ordinal)
                && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Fails when the page logged an error or threw.</summary>
    public void AssertNoErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "The page reported errors:\n" + string.Join("\n", _errors));
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<HeadlessChromium>
{
    public const string Name = "browser";
}
