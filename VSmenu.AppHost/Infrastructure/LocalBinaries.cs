namespace VSmenu.AppHost.Infrastructure;

/// <summary>The PostgreSQL server programs of one installation.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string Postgres => Path.Combine(Directory, "postgres");

    public string InitDb => Path.Combine(Directory, "initdb");
}

/// <summary>
/// Finds the machine's <c>redis-server</c> and PostgreSQL binaries: first on PATH, then (for PostgreSQL, whose
/// Debian packages keep the server off PATH) in the newest <c>/usr/lib/postgresql/*/bin</c>.
/// </summary>
public static class LocalBinaries
{
    public const string DebianInstallLine = "sudo apt-get install -y redis-server postgresql";

    public static IReadOnlyList<string> SystemSearchPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    public static string FindRedisServer(IEnumerable<string> searchPath) =>
        searchPath.Select(directory => Path.Combine(directory, "redis-server")).FirstOrDefault(File.Exists)
        ?? throw new InfrastructureUnavailableException(
            $"redis-server was not found on PATH. Install it ({DebianInstallLine}) or run with containers (VSmenu:Infrastructure=containers).");

    public static PostgresBinaries FindPostgres(IEnumerable<string> searchPath, string installRoot = "/usr/lib/postgresql")
    {
        var versionedDirectories = Directory.Exists(installRoot)
            ? Directory.GetDirectories(installRoot)
                .Select(directory => (Directory: Path.Combine(directory, "bin"), Version: MajorVersion(directory)))
                .Where(candidate => candidate.Version is not null)
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Directory)
            : [];

        return searchPath.Concat(versionedDirectories)
            .Select(directory => new PostgresBinaries(directory))
            .FirstOrDefault(binaries => File.Exists(binaries.Postgres) && File.Exists(binaries.InitDb))
            ?? throw new InfrastructureUnavailableException(
                $"PostgreSQL server binaries (postgres, initdb) were not found on PATH or under {installRoot}/*/bin. Install them ({DebianInstallLine}) or run with containers (VSmenu:Infrastructure=containers).");
    }

    private static int? MajorVersion(string directory) =>
        int.TryParse(Path.GetFileName(directory), out var version) ? version : null;
}
