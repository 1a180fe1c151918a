-- Push & Pull: one current channel per owner (user or shared, per application); renewal replaces the row's id.
CREATE UNIQUE INDEX pull_channels_current ON pull_channels (user_id, app_key, type);
