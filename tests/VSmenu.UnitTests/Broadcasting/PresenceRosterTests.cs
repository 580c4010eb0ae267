using VSmenu.Realtime.Pusher;

namespace VSmenu.UnitTests.Broadcasting;

public sealed class PresenceRosterTests
{
    private const string Channel = "presence-restaurant.1";

    [Fact]
    public void A_user_is_added_with_their_first_connection_and_removed_with_their_last()
    {
        var roster = new PresenceRoster();
        var ana = new PresenceMember("1", null);

        var first = roster.Join(Channel, ana, maxMembers: 100);
        var second = roster.Join(Channel, ana, maxMembers: 100);
        var firstLeaves = roster.Leave(Channel, "1");
        var lastLeaves = roster.Leave(Channel, "1");

        Assert.True(first.FirstConnectionOfUser);
        Assert.False(second.FirstConnectionOfUser);
        Assert.Single(second.Members);
        Assert.False(firstLeaves);
        Assert.True(lastLeaves);
        Assert.False(roster.Leave(Channel, "1"));
    }

    [Fact]
    public void A_full_channel_refuses_new_users_but_not_more_connections_of_its_members()
    {
        var roster = new PresenceRoster();
        roster.Join(Channel, new PresenceMember("1", null), maxMembers: 2);
        roster.Join(Channel, new PresenceMember("2", null), maxMembers: 2);

        Assert.True(roster.Join(Channel, new PresenceMember("3", null), maxMembers: 2).Refused);
        Assert.False(roster.Join(Channel, new PresenceMember("2", null), maxMembers: 2).Refused);
    }
}
