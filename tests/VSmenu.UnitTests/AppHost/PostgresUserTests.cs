using VSmenu.AppHost.Infrastructure;

namespace VSmenu.UnitTests.AppHost;

public sealed class PostgresUserTests
{
    [Fact]
    public void Root_runs_postgres_as_the_postgres_user_by_exec()
    {
        var (command, arguments) = new PostgresUser(SwitchFromRoot: true).Command("/usr/lib/postgresql/15/bin/postgres", "-D", "/data");

        Assert.Equal("setpriv", command);
        Assert.Equal(["--reuid", "postgres", "--regid", "postgres", "--init-groups", "--", "/usr/lib/postgresql/15/bin/postgres", "-D", "/data"], arguments);
    }

    [Fact]
    public void Normal_user_runs_postgres_directly()
    {
        var (command, arguments) = new PostgresUser(SwitchFromRoot: false).Command("/usr/bin/postgres", "-D", "/data");

        Assert.Equal("/usr/bin/postgres", command);
        Assert.Equal(["-D", "/data"], arguments);
    }
}
