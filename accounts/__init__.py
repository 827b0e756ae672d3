"""Users, roles (memberships), two-factor login and invitations."""
