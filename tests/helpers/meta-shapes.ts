import { metaFixtures } from './meta.js';

/** Where an item sits in an entry. */
export type Place = 'messaging' | 'standby' | 'changes';

/** One webhook event shape from Meta's documentation, addressed to a given account and person. */
export interface Shape {
  name: string;
  object: 'page' | 'instagram';
  place?: Place;
  build: (ids: { account: string; user: string; now: number }) => Record<string, unknown>;
}

type Ids = { account: string; user: string; now: number };
const from = ({ account, user, now }: Ids) => ({ sender: { id: user }, recipient: { id: account }, timestamp: now });
const own = ({ account, user, now }: Ids) => ({ sender: { id: account }, recipient: { id: user }, timestamp: now });
const mid = (ids: Ids, tag: string) => `m_${tag}_${ids.user}_${ids.now}`;
const cdn = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=abc';

/** Shapes both products share (Messenger and Instagram Direct), per Meta's webhook event references. */
function common(object: 'page' | 'instagram'): Shape[] {
  const s = (name: string, build: Shape['build'], place?: Place): Shape => ({
    name,
    object,
    build,
    ...(place ? { place } : {}),
  });
  return [
    s('text message', (i) => ({ ...from(i), message: { mid: mid(i, 'text'), text: 'hello, world!' } })),
    ...['image', 'audio', 'video', 'file', 'reel', 'ig_reel', 'ig_post'].map((type) =>
      s(`${type} attachment`, (i) => ({
        ...from(i),
        message: {
          mid: mid(i, type),
          attachments: [
            {
              type,
              payload: {
                url: cdn,
                ...(type.includes('reel') || type === 'ig_post' ? { reel_video_id: '1', title: 'x' } : {}),
              },
            },
          ],
        },
      })),
    ),
    s('sticker attachment (type sticker)', (i) => ({
      ...from(i),
      message: {
        mid: mid(i, 'sticker'),
        attachments: [{ type: 'sticker', payload: { url: cdn, sticker_id: 369239263222822 } }],
      },
    })),
    s('fallback attachment without payload', (i) => ({
      ...from(i),
      message: {
        mid: mid(i, 'fallback'),
        attachments: [{ type: 'fallback', payload: null, title: 'A link', URL: 'https://example.com' }],
      },
    })),
    s('quick reply', (i) => ({
      ...from(i),
      message: { mid: mid(i, 'qr'), text: 'Red', quick_reply: { payload: 'PICK_RED' } },
    })),
    s('reply_to a message', (i) => ({
      ...from(i),
      message: { mid: mid(i, 'reply'), text: 'this one', reply_to: { mid: 'm_earlier', is_self_reply: false } },
    })),
    s('message with an ad referral', (i) => ({
      ...from(i),
      message: {
        mid: mid(i, 'adref'),
        text: 'hi from the ad',
        referral: {
          ref: 'r',
          ad_id: '123',
          source: 'ADS',
          type: 'OPEN_THREAD',
          ads_context_data: { ad_title: 'Ad', photo_url: cdn },
        },
      },
    })),
    s('echo of our own send', (i) => ({
      ...own(i),
      message: {
        mid: mid(i, 'echo'),
        is_echo: true,
        app_id: 1517776481860111,
        metadata: 'aliat:unknown',
        text: 'ours',
      },
    })),
    s('echo from the Meta inbox', (i) => ({
      ...own(i),
      message: { mid: mid(i, 'inbox'), is_echo: true, app_id: 263902037430900, text: 'a person' },
    })),
    s('echo of a template', (i) => ({
      ...own(i),
      message: {
        mid: mid(i, 'tpl'),
        is_echo: true,
        app_id: 1,
        attachments: [{ type: 'template', payload: { template_type: 'button', buttons: [] } }],
      },
    })),
    s('reaction', (i) => ({
      ...from(i),
      reaction: { mid: 'm_earlier', action: 'react', reaction: 'love', emoji: '\u2764\uFE0F' },
    })),
    s('unreact', (i) => ({ ...from(i), reaction: { mid: 'm_earlier', action: 'unreact' } })),
    s('postback with referral', (i) => ({
      ...from(i),
      postback: {
        mid: mid(i, 'pb'),
        title: 'Get Started',
        payload: 'GET_STARTED',
        referral: { ref: 'x', source: 'SHORTLINK', type: 'OPEN_THREAD' },
      },
    })),
    s('referral (m.me / ig.me link)', (i) => ({
      ...from(i),
      referral: { ref: 'promo', source: 'SHORTLINK', type: 'OPEN_THREAD' },
    })),
    s('referral from an ad', (i) => ({
      ...from(i),
      referral: {
        ref: 'r',
        ad_id: '6045246247433',
        source: 'ADS',
        type: 'OPEN_THREAD',
        ads_context_data: { ad_title: 'Ad', photo_url: cdn, video_url: cdn, post_id: '1', product_id: '2' },
      },
    })),
    s('optin with user_ref and no sender', ({ account, now }) => ({
      recipient: { id: account },
      timestamp: now,
      optin: { ref: 'PASS_THROUGH', user_ref: 'UNIQUE_REF_PARAM' },
    })),
    s('optin for notification messages', (i) => ({
      ...from(i),
      optin: {
        type: 'notification_messages',
        payload: 'WEEKLY',
        notification_messages_token: 'tok',
        notification_messages_frequency: 'WEEKLY',
        notification_messages_timezone: 'UTC',
        token_expiry_timestamp: i.now + 1e9,
        user_token_status: 'NOT_REFRESHED',
        title: 'Updates',
      },
    })),
    s('optin (one-time notification)', (i) => ({
      ...from(i),
      optin: { type: 'one_time_notif_req', payload: 'X', one_time_notif_token: 'tok' },
    })),
    s('policy enforcement unblock, no sender', ({ account, now }) => ({
      recipient: { id: account },
      timestamp: now,
      'policy-enforcement': { action: 'unblock' },
    })),
    s('app_roles, no sender', ({ account, now }) => ({
      recipient: { id: account },
      timestamp: now,
      app_roles: { '123456789': ['primary_receiver'] },
    })),
    s('pass_thread_control', (i) => ({
      ...from(i),
      pass_thread_control: { previous_owner_app_id: null, new_owner_app_id: '123456789', metadata: 'm' },
    })),
    s('take_thread_control', (i) => ({
      ...from(i),
      take_thread_control: { previous_owner_app_id: '123456789', new_owner_app_id: '263902037430900', metadata: 'm' },
    })),
    s('request_thread_control', (i) => ({
      ...from(i),
      request_thread_control: { requested_owner_app_id: 123456789, metadata: 'm' },
    })),
    s(
      'standby message',
      (i) => ({ ...from(i), message: { mid: mid(i, 'standby'), text: 'for the other app' } }),
      'standby',
    ),
    s('standby postback without payload', (i) => ({ ...from(i), postback: { title: 'Menu' } }), 'standby'),
    s(
      'standby inbox echo',
      (i) => ({
        ...own(i),
        message: { mid: mid(i, 'sbecho'), is_echo: true, app_id: 263902037430900, text: 'from inbox' },
      }),
      'standby',
    ),
    s('response feedback', (i) => ({ ...from(i), response_feedback: { mid: 'm_earlier', feedback: 'Good response' } })),
    s('an event kind Meta has not documented yet', (i) => ({ ...from(i), brand_new_kind: { anything: [1, 2, 3] } })),
    s('an item with no sender, recipient or body', () => ({})),
    s('a message with no mid', (i) => ({ ...from(i), message: { text: 'no id' } })),
    s('a timestamp sent as a string', (i) => ({
      ...from(i),
      timestamp: String(i.now),
      message: { mid: mid(i, 'strts'), text: 'string time' },
    })),
  ];
}

/** Shapes only Messenger sends. */
const messengerOnly: Shape[] = [
  {
    name: 'legacy sticker (image + sticker_id)',
    object: 'page',
    build: (i) => ({
      ...from(i),
      message: {
        mid: mid(i, 'lsticker'),
        sticker_id: 369239263222822,
        attachments: [{ type: 'image', payload: { url: cdn, sticker_id: 369239263222822 } }],
      },
    }),
  },
  {
    name: 'location attachment (legacy)',
    object: 'page',
    build: (i) => ({
      ...from(i),
      message: {
        mid: mid(i, 'loc'),
        attachments: [{ type: 'location', payload: { coordinates: { lat: 44.43, long: 26.1 } } }],
      },
    }),
  },
  {
    name: 'delivery with mids',
    object: 'page',
    build: (i) => ({ ...from(i), delivery: { mids: ['mid.1458668856218:ed81099e15d3f4f233'], watermark: i.now } }),
  },
  {
    name: 'delivery without timestamp or mids',
    object: 'page',
    build: ({ account, user, now }) => ({
      sender: { id: user },
      recipient: { id: account },
      delivery: { watermark: now },
    }),
  },
  { name: 'read (watermark)', object: 'page', build: (i) => ({ ...from(i), read: { watermark: i.now } }) },
  {
    name: 'message edit',
    object: 'page',
    build: (i) => ({ ...from(i), message_edit: { mid: 'm_earlier', text: 'edited', num_edit: 1 } }),
  },
  {
    name: 'message edit with num_edit as a string',
    object: 'page',
    build: (i) => ({ ...from(i), message_edit: { mid: 'm_earlier', text: 'edited', num_edit: '37' } }),
  },
  {
    name: 'account linking',
    object: 'page',
    build: (i) => ({ ...from(i), account_linking: { status: 'linked', authorization_code: 'code' } }),
  },
  {
    name: 'game play',
    object: 'page',
    build: (i) => ({
      ...from(i),
      game_play: { game_id: '1', player_id: '2', context_type: 'SOLO', context_id: '', score: 100, payload: '{}' },
    }),
  },
  {
    name: 'messaging feedback',
    object: 'page',
    build: (i) => ({
      ...from(i),
      messaging_feedback: { feedback_screens: [{ screen_id: 0, questions: { q1: { type: 'csat', payload: '5' } } }] },
    }),
  },
  {
    name: 'policy enforcement (underscore spelling), no sender',
    object: 'page',
    build: ({ account, now }) => ({
      recipient: { id: account },
      timestamp: now,
      policy_enforcement: { action: 'unblock' },
    }),
  },
  {
    name: 'feed change (page comment)',
    object: 'page',
    place: 'changes',
    build: ({ user, now }) => ({
      field: 'feed',
      value: {
        item: 'comment',
        verb: 'add',
        comment_id: '1_2',
        post_id: '1_3',
        parent_id: '1_3',
        from: { id: user, name: 'X' },
        message: 'nice',
        created_time: Math.floor(now / 1000),
      },
    }),
  },
  {
    name: 'changes-style messaging sample (dashboard Test button)',
    object: 'page',
    place: 'changes',
    build: (i) => ({ field: 'messaging_postbacks', value: { ...from(i), postback: { title: 't', payload: 'p' } } }),
  },
];

/** Shapes only Instagram sends. */
const instagramOnly: Shape[] = [
  {
    name: 'story mention',
    object: 'instagram',
    build: (i) => ({
      ...from(i),
      message: { mid: mid(i, 'mention'), attachments: [{ type: 'story_mention', payload: { url: cdn } }] },
    }),
  },
  {
    name: 'story reply',
    object: 'instagram',
    build: (i) => ({
      ...from(i),
      message: { mid: mid(i, 'story'), text: 'love it', reply_to: { story: { url: cdn, id: '1' } } },
    }),
  },
  {
    name: 'share (legacy post share)',
    object: 'instagram',
    build: (i) => ({
      ...from(i),
      message: { mid: mid(i, 'share'), attachments: [{ type: 'share', payload: { url: cdn } }] },
    }),
  },
  {
    name: 'unsupported message',
    object: 'instagram',
    build: (i) => ({ ...from(i), message: { mid: mid(i, 'unsup'), is_unsupported: true } }),
  },
  {
    name: 'unsend',
    object: 'instagram',
    build: (i) => ({ ...from(i), message: { mid: 'm_earlier', is_deleted: true } }),
  },
  {
    name: 'messaging_seen (read with mid)',
    object: 'instagram',
    build: (i) => ({ ...from(i), read: { mid: 'm_earlier' } }),
  },
  {
    name: 'echo from the account (no app id, no metadata)',
    object: 'instagram',
    build: (i) => ({ ...own(i), message: { mid: mid(i, 'igecho'), is_echo: true, text: 'sent from the app' } }),
  },
  {
    name: 'comment change',
    object: 'instagram',
    place: 'changes',
    build: ({ user }) => ({
      field: 'comments',
      value: {
        id: '17865799348089039',
        from: { id: user, username: 'someone' },
        text: 'price?',
        media: { id: '123', media_product_type: 'FEED' },
      },
    }),
  },
  {
    name: 'live comment change',
    object: 'instagram',
    place: 'changes',
    build: ({ user }) => ({
      field: 'live_comments',
      value: { id: '1', from: { id: user, username: 'x' }, text: 'hi', media: { id: '2', media_product_type: 'LIVE' } },
    }),
  },
  {
    name: 'mention change',
    object: 'instagram',
    place: 'changes',
    build: () => ({ field: 'mentions', value: { media_id: '17887498072083520', comment_id: '17887498072083521' } }),
  },
  {
    name: 'story insights change',
    object: 'instagram',
    place: 'changes',
    build: () => ({
      field: 'story_insights',
      value: { media_id: '1', impressions: 44, reach: 40, taps_forward: 1, taps_back: 0, exits: 2, replies: 0 },
    }),
  },
];

/**
 * Every committed fixture's items, re-addressed to the test's account and person, so Meta's real
 * payloads (not only our reading of the docs) go through the same mixed-batch check.
 */
function fromFixtures(): Shape[] {
  const shapes: Shape[] = [];
  for (const fixture of metaFixtures()) {
    const object = fixture.json.object as 'page' | 'instagram';
    for (const place of ['messaging', 'standby'] as const) {
      fixture.json.entry.forEach((entry, e) => {
        ((entry[place] as Array<Record<string, unknown>> | undefined) ?? []).forEach((item, k) => {
          shapes.push({
            name: `fixture ${fixture.name} ${place}[${e}.${k}]`,
            object,
            place,
            build: ({ account, user }) => {
              const copy = structuredClone(item) as { sender?: { id: string }; recipient?: { id: string } };
              const fromAccount = copy.sender?.id === entry.id;
              if (copy.sender) copy.sender.id = fromAccount ? account : user;
              if (copy.recipient) copy.recipient.id = fromAccount ? user : account;
              return copy as Record<string, unknown>;
            },
          });
        });
      });
    }
  }
  return shapes;
}

export const eventShapes: Shape[] = [
  ...common('page'),
  ...common('instagram'),
  ...messengerOnly,
  ...instagramOnly,
  ...fromFixtures(),
];
