import { describe, expect, it } from 'vitest';
import type { ArchiveEntry } from './archive-entry.js';
import { connectionSources, eachPlaylistFile, isPlaylistNamed, playlistSources } from './playlist-links.js';

describe('playlistSources: the entries a player opens (attacker round 119)', () => {
  it('reads lines, values and XML sources, in bytes or UTF-16', () => {
    expect(playlistSources(Buffer.from('#EXTM3U\r\n#EXTINF:1,<b>x</b>\r\n\\\\h\\s\\a.mp3\r\n'))).toEqual([
      '\\\\h\\s\\a.mp3',
    ]);
    expect(playlistSources(Buffer.from('[playlist]\nFile1=//h/s/a.mp3\n'))).toEqual([
      'File1=//h/s/a.mp3',
      '//h/s/a.mp3',
    ]);
    expect(playlistSources(Buffer.from('<media src="&#92;&#92;h&#x5c;a.mp3"/>'))).toContain('\\\\h\\a.mp3');
    expect(playlistSources(Buffer.from('<location>file://h/a.mp3</location>'))).toContain('file://h/a.mp3');
    expect(playlistSources(Buffer.from('\ufeff\\\\h\\a.mp3\r\n', 'utf16le'))).toEqual(['\\\\h\\a.mp3']);
  });
  it('visits the entries on another computer only, with their host', () => {
    const seen: ArchiveEntry[] = [];
    eachPlaylistFile(
      Buffer.from('C:\\m\\a.mp3\r\nhttp://radio.example/s\r\n../b.mp3\r\n\\\\evil\\s\\c.mp3\r\n'),
      0,
      (e) => seen.push(e),
    );
    expect(seen).toEqual([{ name: 'c.mp3', host: 'evil' }]);
  });
  it('knows playlists by name', () => {
    for (const name of ['a.m3u', 'a.M3U8', 'a.pls', 'a.wpl', 'a.zpl', 'a.xspf', 'a.m3u. '])
      expect(isPlaylistNamed(name)).toBe(true);
    expect(isPlaylistNamed('a.m3u.txt')).toBe(false);
  });
});

describe('connectionSources: what an Excel data connection reads', () => {
  it('reads the connection files, imports, addresses and connection string values', () => {
    expect(
      connectionSources(
        '<connection odcFile="a.odc"><dbPr connection="Provider=x;Data Source=&quot;\\\\h\\db&quot;"/><textPr sourceFile=\'t.csv\'/><webPr url="https://w/x"/></connection>',
      ),
    ).toEqual(['a.odc', 'x', '"\\\\h\\db"', 't.csv', 'https://w/x']);
  });
});
