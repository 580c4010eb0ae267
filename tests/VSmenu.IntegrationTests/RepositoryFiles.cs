namespace VSmenu.IntegrationTests;

/// <summary>Where the checkout is, found from the test binaries: the compatibility scripts, the web client, test artifacts.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VSmenu.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("VSmenu.sln not found above the test binaries.");
    }
}
