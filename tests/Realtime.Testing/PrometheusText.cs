using System.Globalization;

namespace Realtime.Testing;

/// <summary>One sample of a Prometheus text exposition: <c>name{label="value",…} 12.5</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads what a <c>/metrics</c> endpoint serves (the text format, version 0.0.4).</summary>
public static class PrometheusText
{
    /// <summary>Fetches <paramref name="metrics"/> and parses it; fails unless it answers 200 in the text format.</summary>
    public static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(Uri metrics)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(metrics);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/plain")
        {
            throw new InvalidOperationException($"{metrics} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}");
        }

        return Parse(body);
    }

    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            string name;
            string rest;
            if (brace >= 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                ReadLabels(line[(brace + 1)..close], labels);
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            // A sample may end with a timestamp after its value.
            var value = rest.Split(' ')[0];
            samples.Add(new PrometheusSample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }

        return samples;
    }

    /// <summary>The sum of every sample named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public static double Sum(this IEnumerable<PrometheusSample> samples, string name, params (string Key, string Value)[] labels)
        => samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static void ReadLabels(string text, Dictionary<string, string> labels)
    {
        var at = 0;
        while (at < text.Length)
        {
            var equals = text.IndexOf('=', at);
            var key = text[at..equals].Trim(' ', ',');
            var value = new System.Text.StringBuilder();
            var i = equals + 2;
            for (; text[i] != '"'; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                    value.Append(text[i] == 'n' ? '\n' : text[i]);
                }
                else
                {
                    value.Append(text[i]);
                }
            }

            labels[key] = value.ToString();
            at = i + 1;
        }
    }
}
