using Microsoft.Extensions.Hosting;
using Realtime.SiloHost;

await SiloApp.Create(args).RunAsync();
