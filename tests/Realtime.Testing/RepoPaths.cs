namespace Realtime.Testing;

/// <summary>Where the repository is, seen from a test's output folder.</summary>
public static class RepoPaths
{
    /// <summary>The folder that holds Grains.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests run under (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>A folder under <c>tests/artifacts</c> (created): what a test run leaves for people to look at.</summary>
    public static string Artifacts(string name) => Directory.CreateDirectory(Path.Combine(Root, "tests", "artifacts", name)).FullName;

    private static string FindRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Grains.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("Grains.sln not found above " + AppContext.BaseDirectory);
    }
}
