using VSmenu.AppHost.Infrastructure;

namespace VSmenu.UnitTests.AppHost;

public sealed class LocalBinariesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("vsmenu-binaries-");

    [Fact]
    public void Finds_redis_server_on_the_search_path()
    {
        var bin = CreateDirectory("bin", "redis-server");

        Assert.Equal(Path.Combine(bin, "redis-server"), LocalBinaries.FindRedisServer([CreateDirectory("empty"), bin]));
    }

    [Fact]
    public void Missing_redis_server_fails_with_the_install_line()
    {
        var error = Assert.Throws<InfrastructureUnavailableException>(() => LocalBinaries.FindRedisServer([CreateDirectory("empty")]));

        Assert.Contains("apt-get install -y redis-server postgresql", error.Message);
        Assert.DoesNotContain(Environment.NewLine, error.Message);
    }

    [Fact]
    public void Prefers_postgres_on_the_search_path()
    {
        var onPath = CreateDirectory("bin", "postgres", "initdb");
        var installRoot = CreateDirectory("postgresql");
        CreateDirectory("postgresql/16/bin", "postgres", "initdb");

        Assert.Equal(onPath, LocalBinaries.FindPostgres([onPath], installRoot).Directory);
    }

    [Fact]
    public void Falls_back_to_the_newest_versioned_install_directory()
    {
        var installRoot = CreateDirectory("postgresql");
        CreateDirectory("postgresql/9/bin", "postgres", "initdb");
        var newest = CreateDirectory("postgresql/15/bin", "postgres", "initdb");
        CreateDirectory("postgresql/16/bin", "postgres");

        Assert.Equal(newest, LocalBinaries.FindPostgres([CreateDirectory("empty")], installRoot).Directory);
    }

    [Fact]
    public void Missing_postgres_fails_naming_what_to_install()
    {
        var error = Assert.Throws<InfrastructureUnavailableException>(() =>
            LocalBinaries.FindPostgres([CreateDirectory("bin", "postgres")], Path.Combine(_root.FullName, "nowhere")));

        Assert.Contains("initdb", error.Message);
        Assert.Contains("apt-get install", error.Message);
    }

    private string CreateDirectory(string relativePath, params string[] files)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root.FullName, relativePath)).FullName;
        foreach (var file in files)
        {
            File.WriteAllText(Path.Combine(directory, file), "");
        }
        return directory;
    }

    public void Dispose() => _root.Delete(recursive: true);
}
